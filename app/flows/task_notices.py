"""Whoever a task opens for hears of it: an in-app notification that opens the task on the
phone, written in the same transaction as the task.

A seat can open in many places (a new step, the next signer of a sequential step, a
transfer, an added signer, an escalation), so this watches the flushes of every session
rather than each of those places: a seat that is new and open, or that has just turned
from queued to open, gets its notification. Its text and link are ``copies.seat_notice``'s;
this module only finds the seats.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.flows.copies import seat_notice
from app.models import FlowInstance, FlowTask, Notification


def _opened(session: Session) -> list[FlowTask]:
    seats = [t for t in session.new if isinstance(t, FlowTask) and t.status == "open"]
    for task in session.dirty:
        if isinstance(task, FlowTask) and task.status == "open":
            history = inspect(task).attrs["status"].history
            if history.has_changes() and "open" not in (history.deleted or ()):
                seats.append(task)
    return [t for t in seats if t.kind == "approval" and t.assignee_id]


def _announce(session: Session, _flush_context) -> None:
    """Written straight away, in the flush's own transaction: adding them to the session
    instead would take another flush."""
    rows = []
    for task in _opened(session):
        instance = session.get(FlowInstance, task.instance_id)
        title = instance.title if instance is not None else ""
        rows.append({"tenant_id": task.tenant_id, **seat_notice(task, title)})
    if rows:
        session.connection().execute(sa.insert(Notification.__table__), rows)


def install(session_class) -> None:
    """Attach the hook to a session class (idempotent)."""
    if not event.contains(session_class, "after_flush", _announce):
        event.listen(session_class, "after_flush", _announce)
