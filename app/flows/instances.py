"""Use cases on flow instances: start one for a record, read one with its history, list mine.

A record runs at most one flow at a time; the record row points at it
(``flow_instance_id``). An instance runs on the version that was latest when it started.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import func

from app.auth.permissions import require
from app.auth.scope import MAX_ID, Scope
from app.errors import Conflict, Forbidden, NotFound
from app.flows.deployed import FORM_COLUMNS, FormRef, latest_version
from app.flows.people import display_names
from app.flows.run import Run, one_writer, read_record, record_event
from app.flows.settling import settle
from app.flows.trail import path_taken
from app.forms.access import access_for
from app.models import (
    FlowDefinition,
    FlowEvent,
    FlowInstance,
    FlowTask,
    FlowVersion,
    Form,
)
from flow_engine.actions import deferred_nodes
from flow_engine.runtime import Flow
from form_engine.compiled import CompiledForm

ACTIVE = ("running", "incident")  # a record's flow that has not ended

# Built once, bound per call (so their cache keys are not computed again):
# a flow with its form's row ...
_FLOW_WITH_FORM = (
    sa.select(FlowDefinition, *FORM_COLUMNS)
    .join(Form, (Form.id == FlowDefinition.form_id) & (Form.tenant_id == sa.bindparam("tenant_id")))
    .where(FlowDefinition.id == sa.bindparam("flow_id"))
    .where(FlowDefinition.tenant_id == sa.bindparam("tenant_id"))
)
# ... and the flow a record is running, if any
_RUNNING = sa.select(FlowInstance.id).where(
    FlowInstance.tenant_id == sa.bindparam("tenant_id"),
    FlowInstance.form_id == sa.bindparam("form_id"),
    FlowInstance.record_id == sa.bindparam("record_id"),
    FlowInstance.status.in_(ACTIVE),
)


def _title(flow: FlowDefinition, form, record: dict) -> str:
    shown = record.get(form.title_key) if form.title_key else None
    return f"{flow.name} · {shown if shown not in (None, '') else '#' + str(record['id'])}"[:300]


def start_instance(scope: Scope, flow_id: int, record_id: int) -> FlowInstance:
    """Start the flow's latest version for a record the caller can see."""
    found = None
    if 0 < flow_id <= MAX_ID:  # the flow with its form's row, in one query
        params = {"tenant_id": scope.tenant_id, "flow_id": flow_id}
        found = scope.session.execute(_FLOW_WITH_FORM, params).first()
    if found is None:
        raise NotFound(f"No flow with id {flow_id}.")
    flow, ref = found[0], FormRef(*found[1:])
    require(scope.user, "records.write")
    # 404 unless the caller may see the record; as the caller sees it, the flow sees it
    read = read_record(scope, flow.form_id, record_id, ref, access_for(scope))
    with one_writer(scope):
        return launch(scope, flow, record_id, read)


def launch(
    scope: Scope,
    flow: FlowDefinition,
    record_id: int,
    read: tuple[CompiledForm, dict] | None = None,
) -> FlowInstance:
    """Start the flow for a record as ``scope.user`` inside the caller's transaction
    (nothing is committed): from the API, a form submission or another flow. ``read`` is
    the form and the record, when the caller has read them."""
    if flow.latest_version is None:
        raise Conflict("Deploy this flow before starting it.", code="flow_not_deployed")
    params = {"tenant_id": scope.tenant_id, "form_id": flow.form_id, "record_id": record_id}
    running = scope.session.scalar(_RUNNING, params)
    if running is not None:
        raise Conflict(
            "This record is already in a running flow.",
            code="flow_running",
            details={"instance_id": running},
        )
    version = latest_version(scope, flow)
    form, record = read or read_record(scope, flow.form_id, record_id)
    instance = scope.add(
        FlowInstance(
            definition_id=flow.id,
            version_id=version.id,
            form_id=flow.form_id,
            record_id=record_id,
            initiator_id=scope.user.id,
            title=_title(flow, form, record),
            status="running",
            state="{}",
        )
    )
    scope.session.flush()
    run = Run(scope, instance, version, form, record, fresh=True)
    record_event(run, "start", details={"version": version.version})
    run.flow = Flow.start(version.spec, run.facts, deferred_nodes(version.nodes))
    settle(run)
    scope.session.execute(
        sa.update(form.table)
        .where(form.table.c.id == record_id, form.table.c.tenant_id == scope.tenant_id)
        .values(flow_instance_id=instance.id)
    )
    return instance


def may_see(scope: Scope, instance: FlowInstance) -> None:
    """Refuse anyone but the flow's people (its initiator, whoever held or was copied on a
    seat) and its designers."""
    user = scope.user
    if instance.initiator_id == user.id or user.can("apps.design"):
        return
    seated = scope.session.scalar(
        scope.select(FlowTask, FlowTask.id)
        .where(FlowTask.instance_id == instance.id, FlowTask.assignee_id == user.id)
        .limit(1)
    )
    if seated is None:
        raise Forbidden("Only the people in this flow can see it.")


def instance_detail(scope: Scope, instance_id: int) -> dict:
    """The instance with its seats and its history, oldest first."""
    instance = scope.get(FlowInstance, instance_id, "flow instance")
    may_see(scope, instance)
    tasks = list(
        scope.session.scalars(
            scope.select(FlowTask).where(FlowTask.instance_id == instance.id).order_by(FlowTask.id)
        )
    )
    events = list(
        scope.session.scalars(
            scope.select(FlowEvent)
            .where(FlowEvent.instance_id == instance.id)
            .order_by(FlowEvent.id)
        )
    )
    version = scope.session.get(FlowVersion, instance.version_id)
    names = display_names(scope, [instance.initiator_id, *(t.assignee_id for t in tasks)])
    return {
        **instance_summary(instance, names),
        "version": version.version,
        "tasks": [{**task_fields(t), "assignee_name": names.get(t.assignee_id, "")} for t in tasks],
        "events": events,
        "path": path_taken(scope, instance, version.spec),
    }


def instance_summary(instance: FlowInstance, names: dict[int, str]) -> dict:
    """What a list shows of an instance: its columns and who started it."""
    fields = (
        "id",
        "definition_id",
        "form_id",
        "record_id",
        "title",
        "status",
        "initiator_id",
        "row_version",
        "created_at",
        "ended_at",
    )
    return {
        **{f: getattr(instance, f) for f in fields},
        "initiator_name": names.get(instance.initiator_id, ""),
    }


def task_fields(task: FlowTask) -> dict:
    fields = (
        "id",
        "instance_id",
        "kind",
        "node_id",
        "node_name",
        "mode",
        "assignee_id",
        "candidates",
        "status",
        "comment",
        "acted_at",
        "created_at",
    )
    return {f: getattr(task, f) for f in fields}


def list_initiated(scope: Scope, status: str | None, page: int, page_size: int) -> dict:
    """Instances the caller started, newest first."""
    stmt = scope.select(FlowInstance).where(FlowInstance.initiator_id == scope.user.id)
    if status:
        stmt = stmt.where(FlowInstance.status == status)
    total = scope.session.scalar(sa.select(func.count()).select_from(stmt.subquery()))
    rows = scope.session.scalars(
        stmt.order_by(FlowInstance.id.desc()).limit(page_size).offset((page - 1) * page_size)
    )
    names = display_names(scope, [scope.user.id])
    return {
        "items": [instance_summary(i, names) for i in rows],
        "total": total,
        "page": page,
        "page_size": page_size,
    }
