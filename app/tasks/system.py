"""Tasks that keep the platform's own lights on: heartbeat and ping."""

from __future__ import annotations

import socket

from celery import shared_task
from celery.signals import worker_ready

from app.extensions import db
from app.tasks import liveness


def _worker_name(task) -> str:
    return getattr(task.request, "hostname", None) or socket.gethostname()


@shared_task(name="greenshelf.heartbeat", bind=True)
def heartbeat(self) -> None:
    liveness.record_heartbeat(db.session, _worker_name(self))


@shared_task(name="greenshelf.ping", bind=True)
def ping(self, ping_id: int) -> None:
    liveness.answer_ping(db.session, ping_id, _worker_name(self))


@worker_ready.connect
def _announce(sender=None, **_):
    """A worker that has just started counts as alive before beat's first tick."""
    heartbeat.delay()
