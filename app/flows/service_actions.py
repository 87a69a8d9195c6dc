"""The app's side of the registered service actions (flow_engine.actions declares them).

Each action takes a ``Call`` (the run, the service task's node and inputs) and returns what
it did, which the flow's history shows. Actions read and write data as the flow's
initiator would with an unrestricted data scope inside the tenant; they never commit:
``app.flows.retries`` runs each attempt in a savepoint of the instance's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.auth.scope import Scope
from app.connectors import deliveries
from app.connectors.system_email import queue_email, system_email
from app.errors import ValidationError
from app.flows.copies import instance_link, notify
from app.flows.people import display_names
from app.flows.run import Run, find_people
from app.forms import picking
from app.forms.access import whole_tenant_access
from app.forms.forms import compiled
from app.forms.records import allocate_stock, write_record
from app.models import (
    Connector,
    FlowActionRun,
    FlowDefinition,
    Form,
    User,
)
from flow_engine.actions import substitute
from form_engine import expr, records
from form_engine.access import Access
from form_engine.compiled import CompiledForm
from form_engine.fields import field_type
from form_engine.fields.decimal_number import DecimalField

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

    def values(self, mapping: dict, form: CompiledForm | None = None) -> dict:
        """The mapping's values; a number computed for a decimal field of ``form`` is
        rounded half up to the field's places (a person typing more is refused, but a
        discount applied to a price is a computation, not a typing mistake)."""
        found = {key: self.value(item) for key, item in mapping.items()}
        for key, item in mapping.items():
            field = form.fields.get(key) if form is not None else None
            if isinstance(item, dict) and isinstance(found[key], Decimal) and field:
                kind = field_type(field)
                if isinstance(kind, DecimalField):
                    quantum = Decimal(1).scaleb(-kind.scale(field))
                    found[key] = found[key].quantize(quantum, rounding=ROUND_HALF_UP)
        return found

    def access(self) -> Access:
        initiator = self.scope.session.get(User, self.run.instance.initiator_id)
        return whole_tenant_access(self.scope, initiator)

    @property
    def via(self) -> str:
        """How the audit names a write this action makes."""
        return f"flow:{self.run.instance.id}"

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
    link = instance_link(call.run.instance.id)
    channels = call.inputs.get("channels", ["in_app"])
    if "in_app" in channels:
        notify(call.scope, people, title, body, link)
    emailed, mailer = 0, None
    # notify runs once as the flow passes, in the transaction of the step that reached it:
    # each pass (a flow may come back this way) queues its own emails
    passed = uuid.uuid4().hex
    for user_id in people if "email" in channels else ():
        user = call.scope.session.get(User, user_id)
        if user is not None and user.email:
            mailer = mailer or system_email(call.scope)
            key = f"flow-email-{call.run.instance.id}-{passed}-{user_id}"
            if queue_email(call.scope, mailer, user.email, title, f"{body}\n\n{link}", key):
                emailed += 1
    names = display_names(call.scope, people)
    return {"users": [{"id": u, "name": names.get(u, "")} for u in people], "emails": emailed}


def _record_create(call: Call) -> dict:
    form, form_c = call.form(call.inputs["form"])
    values = call.values(call.inputs["values"], form_c)
    record = write_record(
        call.scope, form.id, "create", values=values, access=call.access(), via=call.via
    )
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
    current = records.get(call.scope.session.connection(), form_c, record_id, access)
    after = write_record(
        call.scope,
        form.id,
        "update",
        values=call.values(call.inputs["values"], form_c),
        record_id=record_id,
        row_version=current["_row_version"],
        access=access,
        via=call.via,
    )
    if form.id == call.run.instance.form_id and record_id == call.run.instance.record_id:
        call.run.record.update(after)  # later conditions read the record as it is now
    return {"form": form.key, "record_id": record_id}


def _stock_allocate(call: Call) -> dict:
    form, _ = call.form(call.inputs["form"])
    quantity = call.value(call.inputs["quantity"])
    if quantity is None:
        raise ValidationError("The quantity to allocate is empty on this record.")
    field, order_by = call.inputs["field"], call.inputs.get("order_by")
    where = substitute(call.inputs.get("where"), call.run.record)
    moves = picking.ledger_into(call.scope, form, field, call.inputs.get("ledger"))
    if moves is None:
        allocation = allocate_stock(
            call.scope, form.id, field, quantity, where, order_by, call.access(), via=call.via
        )
    else:  # the stock is kept by moves: pick by writing them
        move_form = compiled(call.scope, moves[0].id)[1]
        pick = picking.Pick(field, quantity, where, order_by, call.access())
        values = call.values(call.inputs.get("move") or {}, move_form)
        allocation = picking.allocate(call.scope, form, pick, moves, values, via=call.via)
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


#: starts an instance of a flow for a record, as ``app.flows.instances.launch`` does: the
#: flows an action starts sit above the actions, so ``app.wiring`` hands it in at start
launcher: list[Callable] = []


def _flow_start(call: Call) -> dict:
    target = call.scope.session.scalar(
        call.scope.select(FlowDefinition).where(FlowDefinition.key == call.inputs["flow"])
    )
    if target is None:
        raise ValidationError(f"The flow '{call.inputs['flow']}' no longer exists.")
    session = call.scope.session
    initiator = session.get(User, call.run.instance.initiator_id)
    actor, depth = session.info.get("actor"), session.info.get("flow_start_depth", 0)
    if depth >= MAX_START_DEPTH:
        raise ValidationError(f"Flows start each other more than {MAX_START_DEPTH} deep.")
    session.info["flow_start_depth"] = depth + 1
    try:  # the record and the new instance are the initiator's, as if they had started it
        as_initiator = Scope(session, call.scope.tenant_id, initiator)
        values = call.values(
            call.inputs.get("values") or {}, compiled(call.scope, target.form_id)[1]
        )
        record = write_record(
            as_initiator,
            target.form_id,
            "create",
            values=values,
            access=call.access(),
            via=call.via,
        )
        started = record.get("_flow_instance_id")  # the form may start it on submission
        if started is None:
            started = launcher[0](as_initiator, target, record["id"]).id
    finally:
        session.info["actor"], session.info["flow_start_depth"] = actor, depth
    return {"flow": target.key, "record_id": record["id"], "instance_id": started}


PERFORM: dict[str, Callable[[Call], dict]] = {
    "notify": _notify,
    "record.create": _record_create,
    "record.update": _record_update,
    "stock.allocate": _stock_allocate,
    "connector.call": _connector_call,
    "flow.start": _flow_start,
}
