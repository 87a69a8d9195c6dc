"""What the sweeper does to one due row: fire a timer, or try an action run again.

Each claims its row with a lease first (a conditional UPDATE, committed at once: of two
workers, one gets it), then acts as the system in the instance's own transaction, so the
row's new status and the flow's move are saved together or not at all. A worker that dies
mid-way leaves a lease that runs out; a later sweep acts on the row then, once. What a timer
or an attempt does is in ``app.flows.timers`` and ``app.flows.retries``; this module only
claims, settles and commits, and the Celery tasks (``app.tasks.flows``) only call it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.auth.scope import Scope
from app.errors import Conflict
from app.flows import retries, timers
from app.flows.run import load_run, one_writer
from app.flows.settling import settle
from app.models import FlowActionRun, FlowInstance, FlowTimer
from app.models.base import utcnow

LEASE_SECONDS = 60


def fire_timer(
    session: Session, timer_id: int, now: datetime | None = None, lease: int = LEASE_SECONDS
) -> str:
    """Fire one due timer (after claiming it); returns what happened."""
    now = now or utcnow()
    if not timers.claim(session, timer_id, now, lease):
        return "not due or taken"
    timer, instance, scope = _claimed(session, FlowTimer, timer_id)
    if instance.status != "running":
        timer.leased_until = None
        if instance.status != "incident":  # an incident holds its timers until retried
            timer.status = "cancelled"
        session.commit()
        return timer.status
    try:
        with one_writer(scope):
            run = load_run(scope, instance)
            outcome = timers.go_off(run, timer, now)
            settle(run)
    except Conflict:
        return "busy"  # someone moved the flow just now: the lease runs out, a later sweep retries
    except Exception as exc:  # keep the reason; the lease runs out and a later sweep retries
        return _keep_error(session, FlowTimer, timer_id, exc)
    return outcome


def run_action(
    session: Session,
    run_id: int,
    policy: retries.Policy,
    now: datetime | None = None,
    lease: int = LEASE_SECONDS,
) -> str:
    """Claim a due action run with a lease and try it (or see its delivery's outcome)."""
    now = now or utcnow()
    if not retries.claim(session, run_id, now, lease):
        return "taken"
    row, instance, scope = _claimed(session, FlowActionRun, run_id)
    try:
        with one_writer(scope):
            run = load_run(scope, instance)
            if retries.retry_due(run, row, policy, now):
                settle(run)
            else:
                instance.updated_at = utcnow()
    except Conflict:
        return "busy"  # someone moved the flow just now: the lease runs out, a later sweep retries
    except Exception as exc:  # e.g. the record is gone: keep the reason, retry after the lease
        return _keep_error(session, FlowActionRun, run_id, exc)
    return row.status


def _claimed(session: Session, table, row_id: int) -> tuple:
    """The claimed row as it is now, its instance, and its tenant's scope: a sweep acts as
    the system, never as a past caller."""
    row = session.get(table, row_id)
    session.refresh(row)
    session.info.pop("actor", None)
    instance = session.get(FlowInstance, row.instance_id)
    return row, instance, Scope(session, row.tenant_id, None)


def _keep_error(session: Session, table, row_id: int, exc: Exception) -> str:
    """Keep the reason on the row; its lease runs out and a later sweep retries it."""
    session.rollback()
    session.execute(
        update(table)
        .where(table.id == row_id)
        .values(last_error=f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"[:2000])
    )
    session.commit()
    return "failed"
