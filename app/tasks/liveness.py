"""Worker liveness as the web process sees it: heartbeats, pings and the health report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from celery import Celery
from kombu.exceptions import OperationalError
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.auth.scope import Scope
from app.errors import Unavailable
from app.models import WorkerHeartbeat, WorkerPing
from app.models.base import utcnow


def record_heartbeat(session: Session, worker: str) -> None:
    row = session.get(WorkerHeartbeat, worker)
    if row is None:
        session.add(WorkerHeartbeat(worker=worker, last_seen_at=utcnow()))
    else:
        row.last_seen_at = utcnow()
    session.commit()


def request_ping(scope: Scope, send: Callable[[int], object]) -> WorkerPing:
    """Record a ping and hand it to the broker with ``send`` (the task's ``delay``)."""
    ping = scope.add(WorkerPing())
    scope.session.commit()
    try:
        send(ping.id)
    except OperationalError as exc:
        raise Unavailable(f"The task queue cannot be reached: {exc}") from exc
    return ping


def answer_ping(session: Session, ping_id: int, worker: str) -> None:
    ping = session.get(WorkerPing, ping_id)
    if ping is not None and ping.answered_at is None:
        ping.answered_at = utcnow()
        ping.worker = worker
        session.commit()
    record_heartbeat(session, worker)


def get_ping(scope: Scope, ping_id: int) -> WorkerPing:
    return scope.get(WorkerPing, ping_id, "worker check")


def _broker_ok(celery: Celery) -> bool:
    try:
        with celery.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # any failure to reach the broker is what health reports
        return False


def health_report(session: Session, celery: Celery, stale_seconds: int) -> dict:
    """Database, broker and worker status; 'degraded' when any of them is not fine."""
    try:
        session.execute(text("SELECT 1"))
        db_ok = True
        last: datetime | None = session.scalar(select(func.max(WorkerHeartbeat.last_seen_at)))
    except Exception:
        session.rollback()
        db_ok, last = False, None
    age = (utcnow() - last).total_seconds() if last else None
    worker_ok = age is not None and age <= stale_seconds
    broker_url = celery.conf.broker_url or ""
    kind = "redis" if broker_url.startswith("redis") else "embedded"
    broker = {"ok": _broker_ok(celery), "kind": kind}
    status = "ok" if db_ok and broker["ok"] and worker_ok else "degraded"
    return {
        "status": status,
        "database": {"ok": db_ok},
        "broker": broker,
        "worker": {"ok": worker_ok, "last_heartbeat_at": last, "age_seconds": age},
    }
