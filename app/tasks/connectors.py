"""Worker side of connectors: one attempt per task, a sweeper that requeues what is due,
and the scheduled ERP pulls."""

from __future__ import annotations

from celery import shared_task
from flask import current_app

from app.connectors import deliveries
from app.connectors.environment import environment
from app.errors import Conflict
from app.extensions import db
from app.integrations import sync


@shared_task(name="greenshelf.deliver", acks_late=True)
def deliver(delivery_id: int) -> str:
    status, wait = deliveries.attempt(db.session, environment(current_app), delivery_id)
    if status == "retrying" and wait is not None:
        deliver.apply_async((delivery_id,), countdown=wait)
    return status


@shared_task(name="greenshelf.delivery_sweeper")
def delivery_sweeper() -> int:
    ids = deliveries.due(db.session, environment(current_app).lease_seconds)
    for delivery_id in ids:
        deliver.delay(delivery_id)
    return len(ids)


#: what a queued run that did not start reports, by the reason it was refused
NOT_RUN = {"sync_running": "already running", "sync_deleted": "sync deleted"}


@shared_task(name="greenshelf.run_sync")
def run_sync(sync_id: int, trigger: str = "schedule") -> str:
    """The run's status, or why it did not start: another run is under way, or the sync was
    deleted after the run was queued."""
    try:
        return sync.run_sync(db.session, environment(current_app), sync_id, trigger).status
    except Conflict as exc:
        return NOT_RUN.get(exc.code, exc.message)


@shared_task(name="greenshelf.sync_tick")
def sync_tick() -> int:
    """Every minute: start each ERP pull whose cron time has come."""
    ids = sync.claim_due(db.session)
    for sync_id in ids:
        run_sync.delay(sync_id, "schedule")
    return len(ids)
