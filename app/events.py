"""Domain events: what happened to tenant data, told to whoever subscribed at app start.

Every event has two moments, each a blinker signal:

- ``in_transaction`` runs at once, inside the writer's transaction. Its subscribers do work
  that must commit or roll back with the change (start the flow a submission triggers,
  queue the webhook deliveries); if one raises, the writer's whole change rolls back.
- ``after_commit`` runs once the transaction has committed, and never if it rolls back.
  Its subscribers do work that follows a change (hand deliveries to a worker, recheck the
  warning rules). A failing one is logged and written to the audit trail; the change stays.

Writers call ``emit`` and never commit for it. The session's ``commit`` (see
``app.extensions``) runs what is due after it, in order, each in its own transaction.
Subscribers are connected in ``app.wiring`` when the app is created, never at import time,
so this module knows no service and every service may import it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from blinker import Namespace
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_signals = Namespace()
_PENDING = "gs_events_pending"  # after-commit calls of the open transaction
_DUE = "gs_events_due"  # after-commit calls of a committed transaction, not yet run
_RUNNING = "gs_events_running"
_MARKS = "gs_events_savepoints"  # savepoint -> how many calls were pending when it began


class Event:
    """One kind of domain event and its two moments."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self.in_transaction = _signals.signal(f"{name}:in_transaction", doc)
        self.after_commit = _signals.signal(f"{name}:after_commit", doc)

    def __repr__(self) -> str:
        return f"Event({self.name!r})"


record_changed = Event(
    "record.changed", "A record was created, updated, deleted or restored (RecordChange)."
)
records_imported = Event(
    "records.bulk_imported", "Many records of one form were written at once (RecordsImported)."
)
flow_finished = Event("flow.finished", "A flow instance ended (FlowFinished).")
alert_levels_changed = Event(
    "alert.level_changed", "A rule scan opened, changed or closed alerts (AlertLevelsChanged)."
)
todo_completed = Event("todo.completed", "A to-do was marked done (TodoCompleted).")
deliveries_queued = Event(
    "deliveries.queued", "Outbound deliveries were written and wait for a worker."
)

ALL = (
    record_changed,
    records_imported,
    flow_finished,
    alert_levels_changed,
    todo_completed,
    deliveries_queued,
)


@dataclass(frozen=True)
class RecordChange:
    """``action`` is created / updated / deleted / restored; ``record`` is the record as
    the API returns it after the change, ``before`` as it was (None when created)."""

    scope: Any
    form: Any  # the Form row: id, key
    action: str
    record: dict
    before: dict | None = None

    @property
    def record_id(self) -> int:
        return self.record["id"]

    @property
    def changed(self) -> dict:
        """{field: [before, after]} of the fields whose value changed."""
        before, after = self.before or {}, self.record or {}
        return {
            k: [before.get(k), after.get(k)]
            for k in sorted(before.keys() | after.keys())
            if not k.startswith("_") and before.get(k) != after.get(k)
        }


@dataclass(frozen=True)
class RecordsImported:
    """Records of one form written by a bulk path (an import, an ERP pull)."""

    scope: Any
    form: Any
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    source: str = "import"

    @property
    def ids(self) -> list[int]:
        return [*self.created, *self.updated]


@dataclass(frozen=True)
class FlowFinished:
    scope: Any
    instance: Any


@dataclass(frozen=True)
class AlertLevelsChanged:
    """The alerts of one rule that a scan stamped ``at`` opened, changed or closed."""

    scope: Any
    rule_id: int
    at: datetime


@dataclass(frozen=True)
class TodoCompleted:
    scope: Any
    todo: Any


@dataclass(frozen=True)
class DeliveriesQueued:
    session: Session
    ids: list[int]


def session_of(payload: Any) -> Session:
    scope = getattr(payload, "scope", None)
    return scope.session if scope is not None else payload.session


def emit(event: Event, payload: Any) -> None:
    """Tell the in-transaction subscribers now and keep the after-commit ones for later."""
    event.in_transaction.send(payload)
    if event.after_commit.receivers:
        session = session_of(payload)
        session.info.setdefault(_PENDING, []).append((event, payload))


def run_due(session: Session) -> None:
    """Run the after-commit subscribers of every committed transaction, oldest first.

    A subscriber may commit (a rule recheck does) and so make more calls due: they run in
    this same loop, not nested inside the subscriber that caused them.
    """
    if session.info.get(_RUNNING):
        return
    session.info[_RUNNING] = True
    try:
        while session.info.get(_DUE):
            event, payload = session.info[_DUE].pop(0)
            for receiver in list(event.after_commit.receivers_for(payload)):
                _run_one(session, event, receiver, payload)
    finally:
        session.info.pop(_RUNNING, None)


def _run_one(session: Session, event: Event, receiver: Callable, payload: Any) -> None:
    try:
        receiver(payload)
    except Exception as exc:  # noqa: BLE001 - the change is committed; see the module text
        session.rollback()
        log.exception("after-commit subscriber %s of %s failed", receiver, event.name)
        for handler in failure_handlers:
            try:
                handler(session, event, receiver, payload, exc)
                session.commit()
            except Exception:  # noqa: BLE001 - a broken failure report must not hide the first
                session.rollback()
                log.exception("reporting the failure of %s failed", receiver)


#: called as handler(session, event, receiver, payload, exc) when an after-commit
#: subscriber fails (the audit trail writes it down); set in ``app.wiring``
failure_handlers: list[Callable] = []


def _committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_DUE, []).extend(pending)


def _began(session: Session, transaction) -> None:
    if transaction.nested:  # a savepoint: remember how much was pending when it began
        session.info.setdefault(_MARKS, {})[transaction] = len(session.info.get(_PENDING, []))


def _rolled_back(session: Session, transaction) -> None:
    """What was emitted inside a rolled-back savepoint, or transaction, never happened."""
    marks = session.info.get(_MARKS, {})
    if transaction in marks:
        del session.info.setdefault(_PENDING, [])[marks[transaction] :]
    elif transaction.parent is None:
        session.info.pop(_PENDING, None)


def _ended(session: Session, transaction) -> None:
    session.info.get(_MARKS, {}).pop(transaction, None)


def install(session_class) -> None:
    """Keep after-commit calls per transaction on sessions of this class (idempotent)."""
    for name, fn in (
        ("after_commit", _committed),
        ("after_transaction_create", _began),
        ("after_soft_rollback", _rolled_back),
        ("after_transaction_end", _ended),
    ):
        if not sa_event.contains(session_class, name, fn):
            sa_event.listen(session_class, name, fn)
