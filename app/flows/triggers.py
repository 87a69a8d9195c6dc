"""Start triggers: a flow set to start when a record of its form is submitted.

A form has at most one such flow. Creating a record (through the record write path, from
the console, the API, an inbound hook, a rule or another flow) starts it in the same
transaction, with the submitter as the initiator, so a flow that cannot start (e.g.
nobody to approve under a "refuse" policy) refuses the submission and nothing is saved.
Flows also start from the API, from a rule action and from another flow (flow.start).
"""

from __future__ import annotations

from app import events
from app.auth.scope import Scope
from app.errors import Conflict
from app.flows.instances import launch
from app.models import FlowDefinition, FlowTrigger

SUBMIT = "submit"


def triggers(scope: Scope, flow_id: int) -> dict:
    flow = scope.get(FlowDefinition, flow_id, "flow")
    return {"flow_id": flow.id, "on_submit": _trigger(scope, flow.id) is not None}


def _trigger(scope: Scope, flow_id: int) -> FlowTrigger | None:
    return scope.session.scalar(
        scope.select(FlowTrigger).where(
            FlowTrigger.definition_id == flow_id, FlowTrigger.event == SUBMIT
        )
    )


def set_triggers(scope: Scope, flow_id: int, on_submit: bool) -> dict:
    """Turn "start when a record of the form is submitted" on or off for a flow."""
    flow = scope.get(FlowDefinition, flow_id, "flow")
    current = _trigger(scope, flow.id)
    if on_submit and current is None:
        other = scope.session.scalar(
            scope.select(FlowDefinition)
            .join(FlowTrigger, FlowTrigger.definition_id == FlowDefinition.id)
            .where(FlowTrigger.form_id == flow.form_id, FlowTrigger.event == SUBMIT)
        )
        if other is not None:
            raise Conflict(
                f"The flow '{other.name}' already starts when this form is submitted.",
                {"on_submit": ["Another flow of this form already starts on submit."]},
                code="trigger_taken",
            )
        scope.add(FlowTrigger(definition_id=flow.id, form_id=flow.form_id, event=SUBMIT))
    elif not on_submit and current is not None:
        scope.session.delete(current)
    scope.session.commit()
    return triggers(scope, flow.id)


def start_on_submit(scope: Scope, form_id: int, record_id: int) -> int | None:
    """Start the form's submit-triggered flow for a new record, in the caller's
    transaction; the new instance's id, or None when no flow starts on submit."""
    flow = scope.session.scalar(
        scope.select(FlowDefinition)
        .join(FlowTrigger, FlowTrigger.definition_id == FlowDefinition.id)
        .where(FlowTrigger.form_id == form_id, FlowTrigger.event == SUBMIT)
        .limit(1)
    )
    if flow is None or scope.user is None:
        return None
    return launch(scope, flow, record_id).id


def start_on_created(change: events.RecordChange) -> None:
    """In-transaction subscriber: a new record starts its form's submit flow; the record
    the writer returns names the instance (``_flow_instance_id``)."""
    if change.action != "created":
        return
    instance_id = start_on_submit(change.scope, change.form.id, change.record_id)
    if instance_id is not None:
        change.record["_flow_instance_id"] = instance_id
