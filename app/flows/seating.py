"""Seats for a user task that has just started waiting: who acts on it, after the node's
policies.

The node's assignment names people (``flow_engine.assignment``). Then, in this order:
the initiator policy (the initiator approves as themselves, is skipped, or their department
head acts instead); the empty-approver policy when nobody is left (refuse, auto-approve,
auto-reject, the flow's administrators or a named user); out-of-office delegations (the
delegate holds the seat on behalf of the person named); and, when the flow says so, a person
who approved the step just before has their seat approved for them. A sequential list opens
its first seat and queues the others. Every automatic move is written to the history.
"""

from __future__ import annotations

from app.errors import ValidationError
from app.flows.delegations import delegates_for
from app.flows.people import ScopeDirectory, display_names
from app.flows.run import Run, find_people, record_event
from app.models import FlowTask, FlowTaskOrigin
from app.models.base import utcnow
from flow_engine import approvals, assignment
from flow_engine.runtime import Waiting


def reject_step(run: Run, task_id: str, node: dict) -> None:
    """A step is rejected: take its reject path, or end the flow as rejected."""
    if node.get("reject_to"):
        run.flow.complete(task_id, "rejected")
        if not run.flow.finished:
            return
    else:
        run.flow.cancel()
    run.instance.status = "rejected"
    run.instance.ended_at = utcnow()


def _system(run: Run, action: str, waiting: Waiting, **details) -> None:
    record_event(
        run,
        action,
        node_id=waiting.node_id,
        node_name=waiting.node_name,
        system=True,
        details=details,
    )


def _initiator_policy(
    run: Run, node: dict, waiting: Waiting, people: list[int]
) -> list[int] | None:
    """The people after the initiator policy; None when skipping the initiator left nobody
    (the step then approves itself rather than falling to the empty-approver policy)."""
    initiator = run.instance.initiator_id
    policy = node.get("self") or "approve"
    if initiator not in people or policy == "approve":
        return people
    others = [p for p in people if p != initiator]
    if policy == "skip":
        _system(run, "skip", waiting, reason="initiator", user_id=initiator)
        if not others:
            _system(run, "auto_approve", waiting, reason="initiator")
            return None
        return others
    head = assignment.department_head(ScopeDirectory(run.scope), initiator)
    if head is None:
        return others
    names = display_names(run.scope, [head])
    _system(run, "to_head", waiting, reason="initiator", to_user=head, to_name=names.get(head, ""))
    return list(dict.fromkeys(head if p == initiator else p for p in people))


def _nobody(run: Run, node: dict, waiting: Waiting) -> list[int] | str:
    """Who acts when the assignment finds nobody, or the engine move the policy asks for."""
    policy = node.get("empty") or "refuse"
    if policy in {"auto_approve", "auto_reject"}:
        _system(run, policy, waiting, reason="no approver")
        return policy
    if policy == "admins":
        start = next((n for n in run.version.nodes.values() if n.get("type") == "startEvent"), {})
        people = find_people(run, start["admins"]) if start.get("admins") else []
        where = "the flow's administrators"
    else:
        people = find_people(run, policy) if policy != "refuse" else []
        where = policy
    if people:
        _system(run, "to_fallback", waiting, reason="no approver", users=people)
        return people
    message = (
        f"Nobody can act on '{waiting.node_name}': its assignment ({node['assignee']}) "
        "finds no active user"
        + (f", nor does its fallback ({where})" if policy != "refuse" else "")
        + ". Nothing was changed; ask an administrator to fix the assignment or the "
        "organisation."
    )
    raise ValidationError(message, code="no_approver")


def _approved_just_before(run: Run, waiting: Waiting) -> set[int]:
    start = next((n for n in run.version.nodes.values() if n.get("type") == "startEvent"), {})
    if not start.get("dedupe"):
        return set()
    previous = run.flow.previous_user_task(waiting.task_id)
    if previous is None:
        return set()
    scope = run.scope
    rows = scope.session.execute(
        scope.select(FlowTask, FlowTask.assignee_id, FlowTaskOrigin.on_behalf_of)
        .outerjoin(FlowTaskOrigin, FlowTaskOrigin.task_id == FlowTask.id)
        .where(
            FlowTask.instance_id == run.instance.id,
            FlowTask.engine_task_id == previous.task_id,
            FlowTask.status == "approved",
        )
    ).all()
    return {behalf or assignee for assignee, behalf in rows}


def seat_task(run: Run, waiting: Waiting) -> bool:
    """Give a newly waiting task its seats; True when the engine moved on by itself."""
    node = run.version.nodes[waiting.node_id]
    people = _initiator_policy(run, node, waiting, find_people(run, node["assignee"]))
    if people is None:
        run.flow.complete(waiting.task_id)
        return True
    if not people:
        fallback = _nobody(run, node, waiting)
        if fallback == "auto_approve":
            run.flow.complete(waiting.task_id)
            return True
        if fallback == "auto_reject":
            reject_step(run, waiting.task_id, node)
            return True
        people = fallback
    policy = approvals.Policy.of(node)
    with run.scope.session.no_autoflush:  # out-of-office periods need no pending row
        away = delegates_for(run.scope, people, run.instance.definition_id)
    seated: dict[int, int | None] = {}  # holder -> on behalf of
    for person in people:
        holder = away.get(person, person)
        seated.setdefault(holder, person if holder != person else None)
    repeat = _approved_just_before(run, waiting)
    statuses = [
        "approved" if (behalf or holder) in repeat else "open" for holder, behalf in seated.items()
    ]
    if policy.mode == "sequential":
        first = next((i for i, s in enumerate(statuses) if s == "open"), None)
        statuses = [
            s if s == "approved" or i == first else "queued" for i, s in enumerate(statuses)
        ]
    seats = [
        approvals.Seat(i, waiting.task_id, h, s, policy.mode)
        for i, (h, s) in enumerate(zip(seated, statuses, strict=True))
    ]
    now = utcnow()
    for (holder, behalf), status in zip(seated.items(), statuses, strict=True):
        row = run.scope.add(
            FlowTask(
                instance_id=run.instance.id,
                kind="approval",
                engine_task_id=waiting.task_id,
                node_id=waiting.node_id,
                node_name=waiting.node_name,
                mode=policy.mode,
                assignee_id=holder,
                candidates=list(seated),
                status=status,
                acted_at=now if status == "approved" else None,
            )
        )
        if behalf is not None:
            run.scope.session.flush()
            run.scope.add(FlowTaskOrigin(task_id=row.id, on_behalf_of=behalf))
        if status == "approved":
            _system(run, "auto_approve", waiting, reason="approved the step before", user_id=holder)
    if repeat and approvals.outcome(policy, seats) == "approved":
        run.scope.session.flush()
        _close_pending(run, waiting.task_id)
        run.flow.complete(waiting.task_id)
        return True
    return False


def _close_pending(run: Run, task_id: str) -> None:
    scope = run.scope
    rows = scope.session.scalars(
        scope.select(FlowTask).where(
            FlowTask.instance_id == run.instance.id,
            FlowTask.engine_task_id == task_id,
            FlowTask.status.in_(approvals.PENDING),
        )
    )
    for row in rows:
        row.status = "cancelled"
