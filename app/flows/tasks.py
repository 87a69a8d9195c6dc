"""Use cases on flow tasks: my to-do, done and copied-to-me lists, one task, and acting on it
(approve, reject, return to the previous step, transfer), each with an optional comment.

Acting loads the instance, applies the decision to the engine and the tables, and saves
with the instance's version check: of two people acting at once, one wins and the other
gets a 409 with nothing of theirs saved.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import func

from app.auth.scope import Scope
from app.errors import Conflict, Forbidden, ValidationError
from app.flows.instances import task_fields
from app.flows.people import ScopeDirectory, display_names
from app.flows.progress import (
    as_seat,
    load_run,
    one_writer,
    read_record,
    record_event,
    settle,
)
from app.models import FlowInstance, FlowTask
from app.models.base import utcnow
from flow_engine import approvals

BOXES = {
    "todo": ("approval", ("open",)),
    "done": ("approval", ("approved", "rejected", "returned", "transferred")),
    "cc": ("cc", ("cc",)),
}


def list_tasks(scope: Scope, box: str, page: int, page_size: int) -> dict:
    """The caller's seats in one box, newest first, with their instance's summary."""
    kind, statuses = BOXES[box]
    stmt = (
        scope.select(FlowTask, FlowTask, FlowInstance)
        .join(FlowInstance, FlowInstance.id == FlowTask.instance_id)
        .where(
            FlowTask.assignee_id == scope.user.id,
            FlowTask.kind == kind,
            FlowTask.status.in_(statuses),
        )
    )
    total = scope.session.scalar(sa.select(func.count()).select_from(stmt.subquery()))
    order = FlowTask.acted_at.desc() if box == "done" else FlowTask.id.desc()
    rows = scope.session.execute(
        stmt.order_by(order, FlowTask.id.desc()).limit(page_size).offset((page - 1) * page_size)
    ).all()
    names = display_names(scope, [i.initiator_id for _, i in rows])
    return {
        "items": [_with_instance(t, i, names) for t, i in rows],
        "total": total,
        "page": page,
        "page_size": page_size,
    }


def _with_instance(task: FlowTask, instance: FlowInstance, names: dict[int, str]) -> dict:
    return {
        **task_fields(task),
        "title": instance.title,
        "instance_status": instance.status,
        "instance_row_version": instance.row_version,
        "initiator_id": instance.initiator_id,
        "initiator_name": names.get(instance.initiator_id, ""),
        "form_id": instance.form_id,
        "record_id": instance.record_id,
    }


def _own_task(scope: Scope, task_id: int) -> tuple[FlowTask, FlowInstance]:
    task = scope.get(FlowTask, task_id, "flow task")
    instance = scope.get(FlowInstance, task.instance_id, "flow instance")
    if task.assignee_id != scope.user.id and not scope.user.can("apps.design"):
        raise Forbidden("This task is assigned to someone else.")
    return task, instance


def task_detail(scope: Scope, task_id: int) -> dict:
    """One task with its instance summary and the bound record's current values."""
    task, instance = _own_task(scope, task_id)
    names = display_names(scope, [instance.initiator_id])
    _, record = read_record(scope, instance.form_id, instance.record_id)
    return {**_with_instance(task, instance, names), "record": record}


def _check_transfer_target(scope: Scope, user_id: int | None) -> None:
    if user_id is None:
        raise ValidationError("Say who takes the task over.", {"user_id": ["Required."]})
    if str(user_id) not in ScopeDirectory(scope).user_ids([str(user_id)]):
        raise ValidationError("No such active user.", {"user_id": ["No such active user."]})


def act(scope: Scope, task_id: int, action: str, payload: dict) -> FlowTask:
    """Approve, reject, return or transfer one of the caller's open tasks."""
    seat, instance = _own_task(scope, task_id)
    if seat.kind != "approval":
        raise ValidationError("A copy has nothing to decide.")
    decision = approvals.Decision(
        action, scope.user.id, payload.get("comment") or "", payload.get("user_id")
    )
    siblings = list(
        scope.session.scalars(
            scope.select(FlowTask).where(
                FlowTask.instance_id == instance.id,
                FlowTask.engine_task_id == seat.engine_task_id,
                FlowTask.kind == "approval",
            )
        )
    )
    plan = approvals.plan(decision, as_seat(seat), [as_seat(s) for s in siblings])
    expected = payload.get("row_version")
    if expected is not None and expected != instance.row_version:
        raise Conflict(
            "This flow changed since you opened it; reload it and decide again.",
            code="flow_changed",
            details={"row_version": instance.row_version},
        )
    if instance.status != "running":
        raise Conflict(f"This flow is already {instance.status}.", code="task_closed")
    if plan.transfer_to is not None:
        _check_transfer_target(scope, plan.transfer_to)
    with one_writer(scope):
        run = load_run(scope, instance)
        now = utcnow()
        for row in siblings:
            if row.id in plan.statuses:
                row.status = plan.statuses[row.id]
                row.acted_at = now if row.id == seat.id else row.acted_at
        seat.comment = decision.comment
        details: dict = {}
        if plan.complete:
            run.flow.complete(plan.complete)
        elif plan.back_from:
            previous = run.flow.previous_user_task(plan.back_from)
            if previous is None:
                raise ValidationError(
                    "This is the first approval step: there is nothing to return to. "
                    "Reject it instead.",
                    code="nothing_to_return",
                )
            run.flow.return_to(plan.back_from, previous.task_id)
            details = {"to_node": previous.node_id, "to_name": previous.node_name}
        elif plan.reject:
            run.flow.cancel()
            instance.status = "rejected"
            instance.ended_at = now
        elif plan.transfer_to is not None:
            scope.add(
                FlowTask(
                    instance_id=instance.id,
                    kind="approval",
                    engine_task_id=seat.engine_task_id,
                    node_id=seat.node_id,
                    node_name=seat.node_name,
                    mode=seat.mode,
                    assignee_id=plan.transfer_to,
                    candidates=sorted({*seat.candidates, plan.transfer_to}),
                    status="open",
                )
            )
            names = display_names(scope, [plan.transfer_to])
            details = {"to_user": plan.transfer_to, "to_name": names.get(plan.transfer_to, "")}
        record_event(run, action, seat, comment=decision.comment, details=details)
        settle(run)
    return seat
