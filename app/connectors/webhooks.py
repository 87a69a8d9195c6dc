"""Domain events posted to the webhook connectors subscribed to them.

These are in-transaction subscribers of ``app.events`` (wired in ``app.wiring``): each
queues one delivery per subscribed, enabled webhook connector, so the change and its
webhooks commit together or not at all; after the commit the delivery log hands them to a
worker (the sweeper picks up any that a lost message or a restart left behind). With no
subscriber an event costs one query per transaction and builds no payload.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import events
from app.auth.scope import Scope
from app.connectors import deliveries
from app.models import Alert, AlertEvent, Connector, Form

_SUBSCRIBERS = "gs_webhook_subscribers"


def _webhooks(scope: Scope) -> list[tuple[int, dict]]:
    """The tenant's enabled webhook connectors, read once per transaction."""
    cache = scope.session.info.setdefault(_SUBSCRIBERS, {})
    if scope.tenant_id not in cache:
        rows = scope.session.execute(
            scope.select(Connector, Connector.id, Connector.config).where(
                Connector.type == "webhook", Connector.enabled.is_(True)
            )
        ).all()
        cache[scope.tenant_id] = [(r.id, r.config or {}) for r in rows]
    return cache[scope.tenant_id]


def _listening(scope: Scope, name: str) -> bool:
    return any(name in (config.get("events") or []) for _, config in _webhooks(scope))


def _subscribers(scope: Scope, name: str, form_key: str | None) -> list[int]:
    return [
        connector_id
        for connector_id, config in _webhooks(scope)
        if name in (config.get("events") or [])
        and (not config.get("forms") or form_key in config["forms"])
    ]


def emit(
    scope: Scope,
    name: str,
    form_key: str | None,
    payload: Callable[[], dict],
    key: str | None = None,
) -> list[int]:
    """Queue the event for its subscribers; ``key`` makes a repeated event a no-op."""
    subscribers = _subscribers(scope, name, form_key)
    if not subscribers:
        return []
    data = json.loads(json.dumps(payload(), ensure_ascii=False, default=str))
    key = key or uuid.uuid4().hex
    queued = []
    for connector_id in subscribers:  # each announced to the worker by the delivery log
        delivery = deliveries.enqueue(
            scope,
            connector_id,
            "post_event",
            {"event": name, "data": data},
            f"{name}:{key}:{connector_id}"[:128],
            commit=False,
        )
        queued.append(delivery.id)
    return queued


def record_changed(change: events.RecordChange) -> None:
    """record.created / .updated / .deleted / .restored, with the record as the API
    returns it."""
    scope, form, record = change.scope, change.form, change.record
    emit(
        scope,
        f"record.{change.action}",
        form.key,
        lambda: {"form": form.key, "record_id": record["id"], "record": record},
        f"{form.key}:{record['id']}:{change.action}:{record.get('_row_version')}",
    )


def records_imported(batch: events.RecordsImported) -> None:
    """record.bulk_imported: the ids an import or an ERP pull created and updated."""
    emit(
        batch.scope,
        "record.bulk_imported",
        batch.form.key,
        lambda: {
            "form": batch.form.key,
            "source": batch.source,
            "created": batch.created,
            "updated": batch.updated,
        },
    )


def todo_completed(done: events.TodoCompleted) -> None:
    todo = done.todo
    emit(
        done.scope,
        "todo.completed",
        None,
        lambda: {
            "todo_id": todo.id,
            "alert_id": todo.alert_id,
            "title": todo.title,
            "result": todo.result,
            "done_by": todo.assignee_id,
            "done_at": todo.done_at,
        },
        str(todo.id),
    )


def alert_levels_changed(change: events.AlertLevelsChanged) -> None:
    """One event per alert of the rule that opened (from None), changed level or closed
    (to None) in the scan stamped ``at``, read from the alert history it wrote."""
    scope, rule_id, at = change.scope, change.rule_id, change.at
    if not _listening(scope, "alert.level_changed"):
        return
    a, e = Alert.__table__, AlertEvent.__table__
    rows = scope.session.execute(
        select(
            e.c.id.label("event_id"),
            e.c.from_level,
            e.c.to_level,
            a.c.id,
            a.c.rule_id,
            a.c.record_id,
            a.c.title,
            a.c.days_left,
            a.c.warehouse,
            Form.key.label("form"),
        )
        .join(a, a.c.id == e.c.alert_id)
        .join(Form, Form.id == a.c.form_id)
        .where(e.c.tenant_id == scope.tenant_id, e.c.at == at, a.c.rule_id == rule_id)
        .order_by(e.c.id)
    ).all()
    for row in rows:
        emit(
            scope,
            "alert.level_changed",
            row.form,
            lambda row=row: {
                "alert_id": row.id,
                "rule_id": row.rule_id,
                "form": row.form,
                "record_id": row.record_id,
                "from": row.from_level,
                "to": row.to_level,
                "title": row.title,
                "days_left": row.days_left,
                "warehouse": row.warehouse,
            },
            str(row.event_id),
        )


def flow_finished(finished: events.FlowFinished) -> None:
    """Once per instance, however many times its end is settled."""
    scope, instance = finished.scope, finished.instance
    if not _listening(scope, "flow.finished"):
        return
    form_key = scope.session.get(Form, instance.form_id).key
    emit(
        scope,
        "flow.finished",
        form_key,
        lambda: {
            "instance_id": instance.id,
            "flow_id": instance.definition_id,
            "form": form_key,
            "record_id": instance.record_id,
            "status": instance.status,
            "title": instance.title,
            "ended_at": instance.ended_at,
        },
        str(instance.id),
    )


def _forget_subscribers(session: Session) -> None:
    session.info.pop(_SUBSCRIBERS, None)


def install(session_class) -> None:
    """The webhook list is read once per transaction: drop it when one ends (idempotent)."""
    for name in ("after_commit", "after_rollback"):
        if not sa_event.contains(session_class, name, _forget_subscribers):
            sa_event.listen(session_class, name, _forget_subscribers)
