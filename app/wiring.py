"""Who hears of each domain event: every subscriber of ``app.events``, connected in one
place when the app is created (``create_app``), never at import time.

In the transaction of the change: a stock move posts to its batch (a refused posting rolls
the move back), the flow a new record's form starts on submission, then the webhook
deliveries (so their payload names the new instance). After the commit: the
queued deliveries go to a worker, and the warning rules recheck the records touched. An
after-commit subscriber that fails is written to the audit trail under the event.
"""

from __future__ import annotations

import logging

from flask import Flask

from app import events
from app.audit.log import write_entry
from app.connectors import webhooks
from app.dashboards import generations
from app.flows import service_actions, triggers
from app.flows.instances import launch
from app.forms import ledger, picking
from app.rules import rechecks
from app.tasks.connectors import deliver

log = logging.getLogger(__name__)


def dispatch(queued: events.DeliveriesQueued) -> None:
    """Hand queued deliveries to a worker; if the broker is away the sweeper does it."""
    for delivery_id in queued.ids:
        try:
            deliver.delay(delivery_id)
        except Exception:  # noqa: BLE001 - the rows are safe; the sweeper queues them again
            log.warning("Delivery %s waits for the sweeper", delivery_id, exc_info=True)


IN_TRANSACTION = (
    (events.record_changed, ledger.post_change),
    (events.record_changed, ledger.check_limit),
    (events.record_changed, picking.check_fefo),
    (events.records_imported, ledger.post_imported),
    (events.record_changed, triggers.start_on_created),
    (events.record_changed, webhooks.record_changed),
    (events.records_imported, webhooks.records_imported),
    (events.alert_levels_changed, webhooks.alert_levels_changed),
    (events.flow_finished, webhooks.flow_finished),
    (events.todo_completed, webhooks.todo_completed),
)
AFTER_COMMIT = (
    (events.deliveries_queued, dispatch),
    (events.record_changed, rechecks.recheck_record),
    (events.records_imported, rechecks.recheck_records),
    (events.record_changed, generations.record_changed),
    (events.records_imported, generations.records_imported),
    (events.alert_levels_changed, generations.alert_levels_changed),
    (events.todo_completed, generations.todo_completed),
)


def report_failure(session, event, receiver, payload, exc) -> None:
    """Write down in the audit trail that a subscriber failed after the change committed."""
    scope = getattr(payload, "scope", None)
    if scope is None:
        return
    target = getattr(payload, "form", None)
    object_type = f"record:{target.key}" if target is not None else event.name
    object_id = getattr(payload, "record", {}).get("id", 0) if target is not None else 0
    message = getattr(exc, "message", None) or f"{exc.__class__.__name__}: {exc}"
    name = getattr(receiver, "__qualname__", repr(receiver))
    write_entry(
        scope,
        object_type,
        object_id,
        "subscriber_failed",
        {"event": [None, event.name], "subscriber": [None, name], "error": [None, message]},
    )


def wire(app: Flask, session_class) -> None:
    """Connect every subscriber (idempotent: connecting one twice keeps one)."""
    for event, receiver in IN_TRANSACTION:
        event.in_transaction.connect(receiver, weak=False)
    for event, receiver in AFTER_COMMIT:
        event.after_commit.connect(receiver, weak=False)
    if report_failure not in events.failure_handlers:
        events.failure_handlers.append(report_failure)
    if not service_actions.launcher:
        service_actions.launcher.append(launch)
    events.install(session_class)
    webhooks.install(session_class)
