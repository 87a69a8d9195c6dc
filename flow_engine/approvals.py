"""What a person's decision on a waiting user task does, decided on plain data.

People hold *seats* at a waiting user task: one per person the assignment names. How the
seats of one task decide together is the node's ``mode``:

    any         or-sign: the first decision (approve or reject) settles the task
    all         countersign: everyone must approve; one rejection rejects
    ratio       countersign by share: approved once ``ratio`` of the seats approved,
                rejected as soon as that share can no longer be reached
    sequential  one after another in the assignment's order (the later seats wait
                ``queued``); one rejection rejects

A seat holder may also return the task to an earlier step, transfer or delegate their seat,
add a signer before themselves (their seat waits until the added person approves) or after
themselves (they approve, the task then waits for the added person), or copy people in.
``Policy`` says which of these a node allows and which need a comment. ``plan`` turns a
decision into a ``Plan`` the caller applies to the workflow (``flow_engine.runtime``) and its
tables; ``outcome`` decides a group of seats; ``reconcile`` tells which waiting tasks still
need seats and which open seats are moot.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from engine_errors import Conflict, Forbidden, ValidationError
from flow_engine.runtime import Waiting

MODES = ("any", "all", "ratio", "sequential")
ACTIONS = ("approve", "reject", "return", "transfer", "add_signer", "delegate", "cc")
COMMENT_ACTIONS = ("reject", "return")
DONE = {
    "approve": "approved",
    "reject": "rejected",
    "return": "returned",
    "transfer": "transferred",
    "delegate": "delegated",
}
# Seats that still count towards their task's decision; ``waiting`` is a seat whose holder
# added a signer before themselves, ``queued`` a later seat of a sequential list.
PENDING = ("open", "queued", "waiting")
_RATIO = re.compile(r"^\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$|^\s*(\d{1,3}(?:\.\d{1,4})?)\s*%\s*$")


def parse_ratio(text: Any) -> Fraction:
    """'2/3' or '67%' as a share in (0, 1], or ValidationError."""
    match = _RATIO.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValidationError("A ratio is a share such as 2/3 or 60%.")
    if match.group(3) is not None:
        share = Fraction(match.group(3)) / 100
    elif int(match.group(2)) == 0:
        share = Fraction(0)
    else:
        share = Fraction(int(match.group(1)), int(match.group(2)))
    if not 0 < share <= 1:
        raise ValidationError("A ratio is more than 0 and at most 1 (e.g. 2/3).")
    return share


def parse_actions(text: Any, allowed: Iterable[str] = ACTIONS) -> list[str]:
    """A list of action names, from a list or from text separated by commas or spaces."""
    items = re.split(r"[\s,]+", text) if isinstance(text, str) else text
    if not isinstance(items, list | tuple):
        raise ValidationError("Give a list of actions.")
    allowed = tuple(allowed)
    names = [i for i in items if i]
    unknown = [i for i in names if i not in allowed]
    if unknown:
        raise ValidationError(f"Unknown action '{unknown[0]}': use {', '.join(allowed)}.")
    return list(dict.fromkeys(names))


@dataclass(frozen=True)
class Policy:
    """How a node's seats decide together and what their holders may do."""

    mode: str = "any"
    ratio: Fraction = Fraction(1)
    actions: frozenset[str] = frozenset(ACTIONS)
    comment_required: frozenset[str] = frozenset()

    @classmethod
    def of(cls, node: Mapping[str, Any]) -> Policy:
        """The policy of a deployed node (older versions lack the newer settings)."""
        mode = node.get("mode") or "any"
        ratio = parse_ratio(node["ratio"]) if mode == "ratio" else Fraction(1)
        actions = node.get("actions")
        return cls(
            mode=mode,
            ratio=ratio,
            actions=frozenset(["approve", *actions]) if actions else frozenset(ACTIONS),
            comment_required=frozenset(node.get("comment_required") or ()),
        )

    def buttons(self) -> list[str]:
        """The enabled actions, in the order a screen shows them."""
        return [a for a in ACTIONS if a in self.actions]

    def check(self, action: str, comment: str) -> None:
        """Refuse an action this node does not allow, or one that lacks a required comment."""
        if action not in ACTIONS:
            raise ValidationError(f"Unknown action '{action}'.")
        if action not in self.actions:
            raise Forbidden(
                f"The action '{action}' is not enabled on this step.", code="action_disabled"
            )
        if action in self.comment_required and not comment.strip():
            raise ValidationError(
                "A comment is required for this action.", {"comment": ["Required."]}
            )


@dataclass(frozen=True)
class Seat:
    id: int
    task_id: str  # the engine's user task
    assignee_id: int
    status: str
    mode: str = "any"
    resumes: int | None = None  # an added signer: the seat that reopens when they approve


@dataclass(frozen=True)
class Decision:
    action: str
    actor_id: int
    comment: str = ""
    to_user: int | None = None
    position: str = "before"  # add_signer: before or after the actor


@dataclass(frozen=True)
class NewSeat:
    """A seat a decision opens at the same task (transfer, delegate, add signer)."""

    assignee_id: int
    resumes: int | None = None
    delegated: bool = False  # the holder acts on behalf of the seat it replaces


@dataclass
class Plan:
    """``statuses``: seat id -> new status; new seats; then at most one of complete / back /
    reject for the engine task."""

    statuses: dict[int, str] = field(default_factory=dict)
    new_seats: list[NewSeat] = field(default_factory=list)
    complete: str | None = None  # engine task to complete (approved)
    back_from: str | None = None  # engine task to return from
    reject: bool = False

    @property
    def transfer_to(self) -> int | None:
        return self.new_seats[0].assignee_id if self.new_seats else None


def _voters(seats: Iterable[Seat]) -> list[Seat]:
    return [
        s for s in seats if s.resumes is None and s.status in (*PENDING, "approved", "rejected")
    ]


def outcome(policy: Policy, seats: Iterable[Seat]) -> str | None:
    """'approved', 'rejected' or None (not decided yet) for the seats of one task."""
    voters = _voters(seats)
    approved = sum(s.status == "approved" for s in voters)
    rejected = sum(s.status == "rejected" for s in voters)
    if policy.mode in {"any", "sequential"}:
        if rejected:
            return "rejected"
        if policy.mode == "any":
            return "approved" if approved else None
        return "approved" if approved == len(voters) else None
    ratio = policy.ratio if policy.mode == "ratio" else Fraction(1)
    needed = max(1, math.ceil(ratio * len(voters)))
    if approved >= needed:
        return "approved"
    if len(voters) - rejected < needed:
        return "rejected"
    return None


def next_in_line(seats: Iterable[Seat]) -> Seat | None:
    """A sequential list's next seat to open, when nobody's seat is open."""
    seats = list(seats)
    if any(s.status in {"open", "waiting"} for s in seats):
        return None
    queued = [s for s in seats if s.status == "queued"]
    return min(queued, key=lambda s: s.id) if queued else None


def _check_new_person(decision: Decision, others: list[Seat]) -> int:
    target = decision.to_user
    if target is None or target == decision.actor_id:
        raise ValidationError("Choose someone else.", {"user_id": ["Choose another person."]})
    if any(s.assignee_id == target and s.status in PENDING for s in others):
        raise ValidationError(
            "That person already holds this task.", {"user_id": ["Already an approver here."]}
        )
    return target


def plan(
    decision: Decision, seat: Seat, siblings: Iterable[Seat], policy: Policy | None = None
) -> Plan:
    """The effect of ``decision`` on ``seat``; ``siblings`` are the seats of its task."""
    policy = policy or Policy(mode=seat.mode)
    policy.check(decision.action, decision.comment)
    if decision.action == "cc":
        raise ValidationError("Copying people in changes no seat.")
    if seat.status != "open":
        raise Conflict(
            f"This task is already closed ({seat.status}); nothing was changed.",
            code="task_closed",
        )
    if seat.assignee_id != decision.actor_id:
        raise Forbidden("This task is assigned to someone else.")
    others = [s for s in siblings if s.id != seat.id and s.task_id == seat.task_id]
    action = decision.action
    if action in {"transfer", "delegate"}:
        target = _check_new_person(decision, others)
        return Plan(
            statuses={seat.id: DONE[action]},
            new_seats=[NewSeat(target, seat.resumes, delegated=action == "delegate")],
        )
    if action == "add_signer":
        target = _check_new_person(decision, others)
        if decision.position not in {"before", "after"}:
            raise ValidationError("Add a signer before or after you.", {"position": ["Invalid."]})
        if decision.position == "before":
            return Plan(statuses={seat.id: "waiting"}, new_seats=[NewSeat(target, seat.id)])
        result = Plan(statuses={seat.id: "approved"}, new_seats=[NewSeat(target, seat.resumes)])
        if policy.mode == "any":  # the actor decided for the group; the added signer follows
            result.statuses.update({s.id: "cancelled" for s in others if s.status in PENDING})
        return result
    result = Plan(statuses={seat.id: DONE[action]})
    if action == "approve" and seat.resumes is not None:
        result.statuses[seat.resumes] = "open"  # back to the person who added this signer
        return result
    if action == "return":
        result.back_from = seat.task_id
    else:
        after = [
            Seat(
                s.id,
                s.task_id,
                s.assignee_id,
                result.statuses.get(s.id, s.status),
                s.mode,
                s.resumes,
            )
            for s in [seat, *others]
        ]
        if seat.resumes is not None:  # an added signer's rejection rejects the task
            decided = "rejected"
        else:
            decided = outcome(policy, after)
        if decided is None:
            following = next_in_line(after) if policy.mode == "sequential" else None
            if following is not None:
                result.statuses[following.id] = "open"
            return result
        if decided == "approved":
            result.complete = seat.task_id
        else:
            result.reject = True
    result.statuses.update(
        {s.id: "cancelled" for s in others if s.status in PENDING and s.id not in result.statuses}
    )
    return result


def reconcile(
    waiting: Iterable[Waiting], open_seats: Iterable[Seat]
) -> tuple[list[Waiting], list[int]]:
    """(waiting tasks that have no open seat yet, ids of open seats whose task moved on)."""
    waiting = list(waiting)
    live = {w.task_id for w in waiting}
    seated = set()
    moot = []
    for seat in open_seats:
        if seat.task_id in live:
            seated.add(seat.task_id)
        else:
            moot.append(seat.id)
    return [w for w in waiting if w.task_id not in seated], moot
