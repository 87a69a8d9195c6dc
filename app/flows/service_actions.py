"""The app's side of the registered service actions (flow_engine.actions declares them).

Each action takes a ``Call`` (the run, the service task's node and inputs) and returns what
it did, which the flow's history shows. Actions read and write data as the flow's
initiator would with an unrestricted data scope inside the tenant; they never commit:
``app.flows.services`` runs each attempt in a savepoint of the instance's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.audit.log import write_entry
from app.auth.scope import Scope
from app.connectors import deliveries
from app.errors import ValidationError
from app.flows.people import display_names
from app.flows.progress import Run, find_people
from app.forms.directory import TenantDirectory
from app.forms.forms import compiled
from app.models import (
    Connector,
    EmailDelivery,
    FlowActionRun,
    FlowDefinition,
    Form,
    Notification,
    User,
)
from app.models.base import utcnow
from flow_engine.actions import substitute
from flow_engine.actions.stock import allocate
from form_engine import expr, records
from form_engine.access import Access

MAX_START_DEPTH = 5  # flow.start inside flow.start: a flow must not start itself forever


@dataclass
class Call:
    """One attempt at one action: the run it belongs to and its inputs."""

    run: Run
    node: dict
    inputs: dict
    row: FlowActionRun | None = None
    waits_for: int | None = field(default=None)  # a delivery the action waits for

    @property
    def scope(self) -> Scope:
        return self.run.scope

    def value(self, item: Any) -> Any:
        """A literal as it is; an expression evaluated on the flow's record."""
        if isinstance(item, dict):
            facts = self.run.facts
            return expr.evaluate(item, self.run.record, facts.today, facts.fields)
        return item

    def values(self, mapping: dict) -> dict:
        return {key: self.value(item) for key, item in mapping.items()}

    def access(self) -> Access:
        initiator = self.scope.session.get(User, self.run.instance.initiator_id)
        return Access(
            tenant_id=self.scope.tenant_id,
            user_id=initiator.id if initiator else None,
            department_id=initiator.department_id if initiator else None,
            today=self.run.facts.today,
            scope="all",
            dialect=self.scope.session.get_bind().dialect.name,
        )

    def form(self, key: str | None):
        """(Form row, compiled form) by key; the flow's own form when no key is given."""
        if not key:
            form = self.scope.get(Form, self.run.instance.form_id, "form")
        else:
            form = self.scope.session.scalar(self.scope.select(Form).where(Form.key == key))
            if form is None:
                raise ValidationError(f"The form '{key}' no longer exists.")
        return compiled(self.scope, form.id)


def _notify(call: Call) -> dict:
    people = find_people(call.run, call.inputs["to"])
    title = call.inputs.get("title") or call.run.instance.title
    body = call.inputs.get("message") or call.node.get("name", "")
    link = f"/flows/instances/{call.run.instance.id}"
    now = utcnow()
    emailed = 0
    for user_id in people:
        if "in_app" in call.inputs.get("channels", ["in_app"]):
            call.scope.add(
                Notification(
                    user_id=user_id, title=title[:300], body=body[:8000], link=link, created_at=now
                )
            )
        if "email" in call.inputs.get("channels", ()):
            user = call.scope.session.get(User, user_id)
            if user is not None and user.email:
                call.scope.add(
                    EmailDelivery(
                        to_address=user.email,
                        subject=title[:300],
                        body=f"{body}\n\n{link}"[:20000],
                        created_at=now,
                    )
                )
                emailed += 1
    names = display_names(call.scope, people)
    return {"users": [{"id": u, "name": names.get(u, "")} for u in people], "emails": emailed}


def _record_create(call: Call) -> dict:
    form, form_c = call.form(call.inputs["form"])
    access = call.access()
    conn = call.scope.session.connection()
    record = records.create(
        conn,
        form_c,
        call.values(call.inputs["values"]),
        access,
        TenantDirectory(call.scope, access),
    )
    write_entry(call.scope, f"record:{form.key}", record["id"], "create", {"by_flow": [None, 1]})
    return {"form": form.key, "record_id": record["id"]}


def _record_update(call: Call) -> dict:
    form, form_c = call.form(call.inputs.get("form"))
    if call.inputs.get("record"):
        record_id = call.run.record.get(call.inputs["record"])
        if not isinstance(record_id, int) or isinstance(record_id, bool):
            raise ValidationError(f"The field '{call.inputs['record']}' holds no record id.")
    else:
        record_id = call.run.instance.record_id
    access = call.access()
    conn = call.scope.session.connection()
    current = records.get(conn, form_c, record_id, access)
    before, after = records.update(
        conn,
        form_c,
        record_id,
        call.values(call.inputs["values"]),
        current["_row_version"],
        access,
        TenantDirectory(call.scope, access),
    )
    changed = {k: [before.get(k), after.get(k)] for k in call.inputs["values"]}
    write_entry(call.scope, f"record:{form.key}", record_id, "update", changed)
    if form.id == call.run.instance.form_id and record_id == call.run.instance.record_id:
        call.run.record.update(after)  # later conditions read the record as it is now
    return {"form": form.key, "record_id": record_id}


def _stock_allocate(call: Call) -> dict:
    form, form_c = call.form(call.inputs["form"])
    quantity = call.value(call.inputs["quantity"])
    if quantity is None:
        raise ValidationError("The quantity to allocate is empty on this record.")
    allocation = allocate(
        call.scope.session.connection(),
        form_c,
        call.access(),
        call.inputs["field"],
        quantity,
        substitute(call.inputs.get("where"), call.run.record),
        call.inputs.get("order_by"),
    )
    for record_id, taken in allocation.rows:
        write_entry(
            call.scope,
            f"record:{form.key}",
            record_id,
            "allocate",
            {call.inputs["field"]: [None, f"-{taken}"]},
        )
    return {"form": form.key, **allocation.to_json()}


def _connector_call(call: Call) -> dict:
    connector = call.scope.session.scalar(
        call.scope.select(Connector).where(Connector.key == call.inputs["connector"])
    )
    if connector is None or not connector.enabled:
        raise ValidationError(f"The connector '{call.inputs['connector']}' is missing or off.")
    key = f"flow-{call.run.instance.id}-{call.row.engine_task_id}-{call.row.id}"
    delivery = deliveries.enqueue(
        call.scope,
        connector.id,
        call.inputs["action"],
        substitute(call.inputs.get("payload") or {}, call.run.record),
        key,
        max_attempts=call.row.max_attempts,
        commit=False,
    )
    call.waits_for = delivery.id
    return {"connector": connector.key, "delivery_id": delivery.id}


def _flow_start(call: Call) -> dict:
    from app.flows.instances import launch

    target = call.scope.session.scalar(
        call.scope.select(FlowDefinition).where(FlowDefinition.key == call.inputs["flow"])
    )
    if target is None:
        raise ValidationError(f"The flow '{call.inputs['flow']}' no longer exists.")
    form, form_c = compiled(call.scope, target.form_id)
    access = call.access()
    record = records.create(
        call.scope.session.connection(),
        form_c,
        call.values(call.inputs.get("values") or {}),
        access,
        TenantDirectory(call.scope, access),
    )
    write_entry(call.scope, f"record:{form.key}", record["id"], "create", {"by_flow": [None, 1]})
    session = call.scope.session
    initiator = session.get(User, call.run.instance.initiator_id)
    actor, depth = session.info.get("actor"), session.info.get("flow_start_depth", 0)
    if depth >= MAX_START_DEPTH:
        raise ValidationError(f"Flows start each other more than {MAX_START_DEPTH} deep.")
    session.info["flow_start_depth"] = depth + 1
    try:  # the new instance is the initiator's, as if they had started it
        started = launch(Scope(session, call.scope.tenant_id, initiator), target, record["id"])
    finally:
        session.info["actor"], session.info["flow_start_depth"] = actor, depth
    return {"flow": target.key, "record_id": record["id"], "instance_id": started.id}


PERFORM: dict[str, Callable[[Call], dict]] = {
    "notify": _notify,
    "record.create": _record_create,
    "record.update": _record_update,
    "stock.allocate": _stock_allocate,
    "connector.call": _connector_call,
    "flow.start": _flow_start,
}
