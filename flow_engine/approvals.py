"""What a person's decision on a waiting user task does, decided on plain data.

People hold *seats* at a waiting user task: one per person the assignment names. In ``any``
mode (or-sign) the first decision settles the task and closes the other seats; in ``all``
mode (countersign) the task moves on once every seat has approved, and one rejection
rejects. A rejection ends the flow as rejected; a return sends it back to the user task
before this one; a transfer hands the seat to someone else. ``plan`` turns a decision into
a ``Plan`` the caller applies to the workflow (``flow_engine.runtime``) and its tables;
``reconcile`` tells which waiting tasks still need seats and which open seats are moot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flow_engine.runtime import Waiting
from form_engine.errors import Conflict, Forbidden, ValidationError

ACTIONS = ("approve", "reject", "return", "transfer")
DONE = {
    "approve": "approved",
    "reject": "rejected",
    "return": "returned",
    "transfer": "transferred",
}


@dataclass(frozen=True)
class Seat:
    id: int
    task_id: str  # the engine's user task
    assignee_id: int
    status: str
    mode: str = "any"


@dataclass(frozen=True)
class Decision:
    action: str
    actor_id: int
    comment: str = ""
    to_user: int | None = None


@dataclass
class Plan:
    """``statuses``: seat id -> new status; then at most one of complete / back / reject."""

    statuses: dict[int, str] = field(default_factory=dict)
    complete: str | None = None  # engine task to complete (approved)
    back_from: str | None = None  # engine task to return from
    reject: bool = False
    transfer_to: int | None = None


def plan(decision: Decision, seat: Seat, siblings: Iterable[Seat]) -> Plan:
    """The effect of ``decision`` on ``seat``; ``siblings`` are the other seats of its task."""
    if decision.action not in ACTIONS:
        raise ValidationError(f"Unknown action '{decision.action}'.")
    if seat.status != "open":
        raise Conflict(
            f"This task is already closed ({seat.status}); nothing was changed.",
            code="task_closed",
        )
    if seat.assignee_id != decision.actor_id:
        raise Forbidden("This task is assigned to someone else.")
    others = [s for s in siblings if s.id != seat.id and s.task_id == seat.task_id]
    result = Plan(statuses={seat.id: DONE[decision.action]})
    if decision.action == "approve":
        still_open = [s for s in others if s.status == "open"]
        if seat.mode == "all" and still_open:
            return result  # a countersign waits for the others
        result.statuses.update({s.id: "cancelled" for s in still_open})
        result.complete = seat.task_id
    elif decision.action == "reject":
        result.reject = True
    elif decision.action == "return":
        result.back_from = seat.task_id
    else:
        target = decision.to_user
        if target is None or target == decision.actor_id:
            raise ValidationError(
                "Transfer to someone else.", {"user_id": ["Choose another person."]}
            )
        if any(s.assignee_id == target and s.status == "open" for s in others):
            raise ValidationError(
                "That person already holds this task.", {"user_id": ["Already an approver here."]}
            )
        result.transfer_to = target
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
