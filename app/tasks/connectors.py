"""Worker side of connectors: one attempt per task, and a sweeper that requeues what is due."""

from __future__ import annotations

from celery import shared_task
from flask import current_app

from app.connectors import deliveries
from app.connectors.environment import environment
from app.extensions import db


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
