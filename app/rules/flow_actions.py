"""The "start a flow" action: a record in the flow's form, filled by a mapping, and its flow.

Runs after the scan has committed its claims, so each (alert, level) starts at most one
flow whatever happens to other scans; each start is its own transaction, as the flow
service commits it. It acts as the action's initiator (the user who published the rule,
unless another user is named), with that user's rights. A start that fails (the flow
was withdrawn, the mapping gives a value the form refuses) is told to the initiator in
the inbox rather than failing the scan.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from app.auth.scope import Scope
from app.errors import GreenShelfError, NotFound
from app.flows.instances import start_instance
from app.forms.records import write_record
from app.models import FlowDefinition, Notification, User
from app.models.base import utcnow
from app.rules.classify import Classified
from app.rules.definition import MAPPING_VARS, field_types
from form_engine import expr
from form_engine.compiled import CompiledForm

log = logging.getLogger(__name__)


def with_initiator(definition: dict, user_id: int | None) -> dict:
    """The definition with the publisher as initiator of start-flow actions naming none."""
    if user_id is None:
        return definition
    actions = {
        level: [
            {**a, "initiator": {"user": user_id}}
            if a.get("type") == "start_flow" and not a.get("initiator")
            else a
            for a in items
        ]
        for level, items in (definition.get("actions") or {}).items()
    }
    return {**definition, "actions": actions} if actions else definition


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def mapped_values(
    action: dict, record: dict, level: str, row: Classified, types: dict, today: date
) -> dict:
    data = {**record, "_level": level, "_days_left": row.days_left}
    all_types = {**types, **MAPPING_VARS}
    return {
        key: _plain(
            expr.evaluate(value, data, today, all_types) if isinstance(value, dict) else value
        )
        for key, value in action["mapping"].items()
    }


def start_flows(
    scope: Scope,
    definition: dict,
    form: CompiledForm,
    items: list[tuple[dict, int, str, Classified]],
    today: date,
) -> int:
    """Start a flow for each claimed (action, alert, level, row); how many started."""
    started = 0
    types = field_types(form, definition)
    actor_before = scope.session.info.get("actor")
    try:
        started = _start_each(scope, form, items, types, today)
    finally:
        scope.session.info["actor"] = actor_before
    return started


def _start_each(scope: Scope, form: CompiledForm, items: list, types: dict, today: date) -> int:
    started = 0
    for action, alert_id, level, row in items:
        user_id = (action.get("initiator") or {}).get("user")
        user = scope.session.scalar(
            select(User).where(User.id == user_id, User.tenant_id == scope.tenant_id)
        )
        record = scope.session.execute(
            select(form.table).where(
                form.table.c.id == row.record_id, form.table.c.tenant_id == scope.tenant_id
            )
        ).first()
        if user is None or record is None:
            continue
        actor = Scope(scope.session, scope.tenant_id, user)
        try:
            flow = actor.session.scalar(
                actor.select(FlowDefinition).where(FlowDefinition.key == action["flow"])
            )
            if flow is None:
                raise NotFound(f"No flow '{action['flow']}'.")
            values = mapped_values(action, dict(record._mapping), level, row, types, today)
            created = write_record(actor, flow.form_id, "create", values=values, via="rule")
            if not created.get("_flow_instance_id"):  # unless the form starts it on submit
                start_instance(actor, flow.id, created["id"])  # commits both
            else:
                actor.session.commit()
            started += 1
        except GreenShelfError as exc:
            scope.session.rollback()
            log.warning("rule alert %s: starting flow %s failed: %s", alert_id, action, exc)
            _tell(scope, user.id, action["flow"], row, exc)
    return started


def _tell(scope: Scope, user_id: int, flow_key: str, row: Classified, exc: GreenShelfError) -> None:
    scope.add(
        Notification(
            user_id=user_id,
            title=f"预警未能发起流程 {flow_key}: {row.title}"[:300],
            body=f"{exc.message} {exc.errors or ''}"[:8000],
            link="/m/todos",
            channel="in_app",
            created_at=utcnow(),
        )
    )
    scope.session.commit()
