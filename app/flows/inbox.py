"""Use cases on a person's flow tasks: my to-do, done and copied-to-me lists, one task
(with the buttons its node enables, the record as its field permissions show it and the
names of what the record points at), the steps it may return to, and acting on it: approve
(with edits to editable fields), reject, return to an earlier step, transfer, delegate, add
a signer before or after oneself, copy people in; each with an optional comment and
attachments.

Acting loads the instance, applies the decision to the engine and the tables, and saves
with the instance's version check: of two people acting at once, one wins and the other
gets a 409 with nothing of theirs saved.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import aliased

from app.auth.scope import MAX_ID, Scope
from app.errors import Conflict, Forbidden, NotFound, ValidationError
from app.flows import decision_files
from app.flows.copies import active_people, active_person, copy_in
from app.flows.deployed import (
    FORM_COLUMNS,
    DeployedVersion,
    FormRef,
    deployed_version,
    published_form,
)
from app.flows.field_access import check_edits, permissions, visible, write_edits
from app.flows.instances import task_fields
from app.flows.people import display_names
from app.flows.run import load_run, one_writer, read_record, record_event
from app.flows.seating import reject_step
from app.flows.settling import settle
from app.forms.access import whole_tenant_access
from app.forms.records import reference_titles
from app.models import Attachment, FlowInstance, FlowTask, FlowTaskOrigin, FlowVersion, Form
from app.models.base import utcnow
from flow_engine import approvals
from flow_engine.runtime import Waiting

BOXES = {
    "todo": ("approval", ("open",)),
    "done": ("approval", ("approved", "rejected", "returned", "transferred", "delegated")),
    "cc": ("cc", ("cc",)),
}
MAX_ATTACHMENTS = 20


def _origins(scope: Scope, task_ids) -> dict[int, FlowTaskOrigin]:
    ids = list(task_ids)
    if not ids:
        return {}
    rows = scope.session.scalars(
        scope.select(FlowTaskOrigin).where(FlowTaskOrigin.task_id.in_(ids))
    )
    return {o.task_id: o for o in rows}


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
    origins = _origins(scope, [t.id for t, _ in rows])
    behalf = [o.on_behalf_of for o in origins.values() if o.on_behalf_of]
    names = display_names(scope, [*(i.initiator_id for _, i in rows), *behalf])
    return {
        "items": [_with_instance(t, i, names, origins.get(t.id)) for t, i in rows],
        "total": total,
        "page": page,
        "page_size": page_size,
    }


def _with_instance(
    task: FlowTask,
    instance: FlowInstance,
    names: dict[int, str],
    origin: FlowTaskOrigin | None = None,
) -> dict:
    behalf = origin.on_behalf_of if origin is not None else None
    return {
        **task_fields(task),
        "title": instance.title,
        "instance_status": instance.status,
        "instance_row_version": instance.row_version,
        "initiator_id": instance.initiator_id,
        "initiator_name": names.get(instance.initiator_id, ""),
        "form_id": instance.form_id,
        "record_id": instance.record_id,
        "on_behalf_of_id": behalf,
        "on_behalf_of_name": names.get(behalf, "") if behalf else "",
    }


# A seat's step: the other approval seats of its instance's engine task.
_STEP_SEAT = aliased(FlowTask, name="step_seat")


def _own_task_query(step: bool) -> Select:
    """The task with its instance, the instance's version stamp and its form's row; with
    ``step``, also each approval seat of the task's step with its origin row, if any. Built
    once: a call binds the tenant and the task, so its cache key is never computed again."""
    tenant = bindparam("tenant_id")
    stmt = (
        select(FlowTask, FlowInstance, FlowVersion.created_at, *FORM_COLUMNS)
        .join(
            FlowInstance,
            (FlowInstance.id == FlowTask.instance_id) & (FlowInstance.tenant_id == tenant),
        )
        .join(FlowVersion, FlowVersion.id == FlowInstance.version_id)
        .join(Form, Form.id == FlowInstance.form_id)
        .where(FlowTask.id == bindparam("task_id"), FlowTask.tenant_id == tenant)
    )
    if not step:
        return stmt
    same_step = (
        (_STEP_SEAT.instance_id == FlowTask.instance_id)
        & (_STEP_SEAT.engine_task_id == FlowTask.engine_task_id)
        & (_STEP_SEAT.kind == "approval")
        & (_STEP_SEAT.tenant_id == tenant)
    )
    origin = (FlowTaskOrigin.task_id == _STEP_SEAT.id) & (FlowTaskOrigin.tenant_id == tenant)
    return (
        stmt.add_columns(_STEP_SEAT, FlowTaskOrigin)
        .outerjoin(_STEP_SEAT, same_step)
        .outerjoin(FlowTaskOrigin, origin)
    )


_OWN_TASK = {step: _own_task_query(step) for step in (False, True)}


def _own_task(
    scope: Scope, task_id: int, step: bool = False
) -> tuple[FlowTask, FlowInstance, DeployedVersion, FormRef, list]:
    """The task with its instance, the instance's version and its form's row; with ``step``,
    also every approval seat of the task's step with its origin row, if any (one query)."""
    found = []
    if 0 < task_id <= MAX_ID:
        params = {"tenant_id": scope.tenant_id, "task_id": task_id}
        found = scope.session.execute(_OWN_TASK[step], params).all()
    if not found:
        raise NotFound(f"No flow task with id {task_id}.")
    task, instance, stamp, *form_row = found[0][: 3 + len(FORM_COLUMNS)]
    if task.assignee_id != scope.user.id and not scope.user.can("apps.design"):
        raise Forbidden("This task is assigned to someone else.")
    version = deployed_version(scope, instance.version_id, stamp)
    width = 3 + len(FORM_COLUMNS)
    seats = [(r[width], r[width + 1]) for r in found if r[width] is not None] if step else []
    return task, instance, version, FormRef(*form_row), seats


def task_detail(scope: Scope, task_id: int) -> dict:
    """One task with its instance summary, the buttons its node enables for the caller,
    the bound record's current values without the fields hidden on this step and
    ``titles``: the names of the users, departments and records those values point at, read
    across the tenant (an approver reads what they approve, whatever their data scope)."""
    task, instance, version, ref, _ = _own_task(scope, task_id)
    node = version.nodes.get(task.node_id, {})
    origin = _origins(scope, [task.id]).get(task.id)
    names = display_names(scope, [instance.initiator_id, origin.on_behalf_of if origin else 0])
    form, record = read_record(scope, instance.form_id, instance.record_id, ref)
    granted = permissions(form, node)
    shown = visible(record, granted)
    policy = approvals.Policy.of(node) if task.kind == "approval" else None
    may_act = (
        policy is not None
        and task.status == "open"
        and task.assignee_id == scope.user.id
        and instance.status == "running"
    )
    buttons = policy.buttons() if may_act else []
    return {
        **_with_instance(task, instance, names, origin),
        "record": shown,
        "titles": reference_titles(scope, form, [shown], whole_tenant_access(scope, scope.user)),
        "fields": granted if task.kind == "approval" else {},
        "actions": buttons,
        "comment_required": [a for a in buttons if a in policy.comment_required] if policy else [],
    }


def _attachments(scope: Scope, ids: list[int], seat: FlowTask) -> list[dict]:
    """The uploaded files a decision on ``seat`` carries, as the history shows them. Only
    files the caller may read can go with it; each goes with its first decision, whose
    flow's people may then read it too."""
    if len(ids) > MAX_ATTACHMENTS:
        raise ValidationError(
            f"At most {MAX_ATTACHMENTS} files.", {"attachments": [f"At most {MAX_ATTACHMENTS}."]}
        )
    if not ids:
        return []
    rows = scope.session.scalars(scope.select(Attachment).where(Attachment.id.in_(ids)))
    found = {a.id: a for a in rows if decision_files.may_read(scope, a)}
    errors = {
        f"attachments.{i}": [f"No uploaded file with id {a}."]
        for i, a in enumerate(ids)
        if a not in found
    }
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors)
    for attachment in found.values():
        if attachment.task_id is None:
            attachment.task_id = seat.id
    return [
        {
            "id": a.id,
            "name": a.name,
            "size": a.size,
            "content_type": a.content_type,
        }
        for a in (found[i] for i in dict.fromkeys(ids))
    ]


def _check_open(scope: Scope, seat: FlowTask, instance: FlowInstance, payload: dict) -> None:
    if seat.kind != "approval":
        raise ValidationError("A copy has nothing to decide.")
    expected = payload.get("row_version")
    if expected is not None and expected != instance.row_version:
        raise Conflict(
            "This flow changed since you opened it; reload it and decide again.",
            code="flow_changed",
            details={"row_version": instance.row_version},
        )
    if instance.status != "running":
        raise Conflict(f"This flow is already {instance.status}.", code="task_closed")


def return_targets(scope: Scope, task_id: int) -> list[dict]:
    """The earlier steps this task may be returned to, nearest first."""
    seat, instance, version, ref, _ = _own_task(scope, task_id)
    _check_open(scope, seat, instance, {})
    if seat.status != "open":
        raise Conflict(f"This task is already closed ({seat.status}).", code="task_closed")
    run = load_run(scope, instance, version, ref)
    return [
        {"node_id": w.node_id, "node_name": w.node_name}
        for w in run.flow.earlier_user_tasks(seat.engine_task_id)
    ]


def _return_target(run, task_id: str, to_node: str | None) -> Waiting:
    targets = run.flow.earlier_user_tasks(task_id)
    if not targets:
        raise ValidationError(
            "This is the first approval step: there is nothing to return to. Reject it instead.",
            code="nothing_to_return",
        )
    if to_node is None:
        return targets[0]
    target = next((t for t in targets if t.node_id == to_node), None)
    if target is None:
        raise ValidationError(
            "You can only return to a step this flow has passed.",
            {"to_node": [f"Choose one of: {', '.join(t.node_id for t in targets)}."]},
        )
    return target


def _seats(found: list[tuple[FlowTask, FlowTaskOrigin | None]]):
    """The rows, origins and engine view of the seats of one step."""
    rows = [r for r, _ in found]
    origins = {r.id: o for r, o in found if o is not None}
    seats = [
        approvals.Seat(
            r.id,
            r.engine_task_id,
            r.assignee_id,
            r.status,
            r.mode,
            origins[r.id].resumes_task_id if r.id in origins else None,
        )
        for r in rows
    ]
    return rows, origins, seats


def _by_id(row: FlowTask) -> int:
    return row.id


def _open_new_seats(scope, seat, origin, plan, action: str, details: dict) -> None:
    for new in plan.new_seats:
        row = scope.add(
            FlowTask(
                instance_id=seat.instance_id,
                kind="approval",
                engine_task_id=seat.engine_task_id,
                node_id=seat.node_id,
                node_name=seat.node_name,
                mode=seat.mode,
                assignee_id=new.assignee_id,
                candidates=sorted({*seat.candidates, new.assignee_id}),
                status="open",
            )
        )
        behalf = None
        if new.delegated:
            behalf = origin.on_behalf_of if origin and origin.on_behalf_of else seat.assignee_id
        if behalf or new.resumes or action == "add_signer":
            scope.session.flush()
            scope.add(
                FlowTaskOrigin(
                    task_id=row.id,
                    on_behalf_of=behalf,
                    resumes_task_id=new.resumes,
                    added_by=seat.assignee_id if action == "add_signer" else None,
                )
            )
        names = display_names(scope, [new.assignee_id])
        details.update(to_user=new.assignee_id, to_name=names.get(new.assignee_id, ""))


def _copy(
    scope: Scope,
    seat: FlowTask,
    instance: FlowInstance,
    version: DeployedVersion,
    ref: FormRef,
    policy: approvals.Policy,
    payload: dict,
) -> FlowTask:
    comment = payload.get("comment") or ""
    policy.check("cc", comment)
    if seat.status != "open":
        raise Conflict(f"This task is already closed ({seat.status}).", code="task_closed")
    if seat.assignee_id != scope.user.id:
        raise Forbidden("This task is assigned to someone else.")
    _check_open(scope, seat, instance, payload)
    people = active_people(scope, payload.get("user_ids"))
    attachments = _attachments(scope, payload.get("attachments") or [], seat)
    with one_writer(scope):
        run = load_run(scope, instance, version, ref)
        copy_in(scope, instance, seat.node_id, seat.node_name, people)
        names = display_names(scope, people)
        details = {"users": [{"id": u, "name": names.get(u, "")} for u in people]}
        if attachments:
            details["attachments"] = attachments
        record_event(run, "cc", seat, comment=comment, details=details)
        settle(run)
    return seat


def act(scope: Scope, task_id: int, action: str, payload: dict) -> FlowTask:
    """Decide on one of the caller's open tasks, or hand it on, or copy people in."""
    seat, instance, version, ref, step = _own_task(scope, task_id, step=True)
    if seat.kind != "approval":
        raise ValidationError("A copy has nothing to decide.")
    node = version.nodes.get(seat.node_id, {})
    policy = approvals.Policy.of(node)
    if action == "cc":
        return _copy(scope, seat, instance, version, ref, policy, payload)
    rows, origins, seats = _seats(step)
    comment = payload.get("comment") or ""
    decision = approvals.Decision(
        action,
        scope.user.id,
        comment,
        payload.get("user_id"),
        payload.get("position") or "before",
    )
    plan = approvals.plan(decision, next(s for s in seats if s.id == seat.id), seats, policy)
    _check_open(scope, seat, instance, payload)
    for new in plan.new_seats:
        active_person(scope, new.assignee_id)
    values = payload.get("values") or {}
    if values:
        if action != "approve":
            raise ValidationError(
                "Edits to the record go with an approval.", {"values": ["Approve to save edits."]}
            )
        check_edits(values, permissions(published_form(scope, ref), node))
    attachments = _attachments(scope, payload.get("attachments") or [], seat)
    origin = origins.get(seat.id)
    with one_writer(scope):
        if values:
            write_edits(
                scope,
                instance.form_id,
                instance.record_id,
                values,
                payload.get("record_row_version"),
            )
        run = load_run(scope, instance, version, ref)
        # Waiting only at this step, the instance's pending seats are all in ``rows``.
        alone = [w.task_id for w in run.flow.waiting()] == [seat.engine_task_id]
        now = utcnow()
        by_id = {r.id: r for r in rows}
        for seat_id, status in plan.statuses.items():
            by_id[seat_id].status = status
        if alone and not plan.new_seats:
            run.seats = sorted((r for r in rows if r.status in approvals.PENDING), key=_by_id)
        seat.acted_at = now
        seat.comment = comment
        details: dict = {}
        if origin is not None and origin.on_behalf_of:
            names = display_names(scope, [origin.on_behalf_of])
            details["on_behalf_of"] = {
                "id": origin.on_behalf_of,
                "name": names.get(origin.on_behalf_of, ""),
            }
        if action == "add_signer":
            details["position"] = decision.position
        _open_new_seats(scope, seat, origin, plan, action, details)
        if values:
            details["edited"] = sorted(values)
        if plan.complete:
            run.flow.complete(plan.complete)
        elif plan.back_from:
            target = _return_target(run, plan.back_from, payload.get("to_node"))
            run.flow.return_to(plan.back_from, target.task_id)
            details.update(to_node=target.node_id, to_name=target.node_name)
        elif plan.reject:
            reject_step(run, seat.engine_task_id, node)
            if node.get("reject_to"):
                details["to_node"] = node["reject_to"]
        if attachments:
            details["attachments"] = attachments
        record_event(run, action, seat, comment=comment, details=details)
        settle(run)
    return seat
