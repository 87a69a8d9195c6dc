"""Worker side of flows: the sweeper that fires due timers and retries service actions.

Beat runs ``flow_sweeper`` every few seconds; it queues one task per due row, and each
task claims its row with a lease before acting, so a row queued twice acts once and a row
whose worker died is picked up again when its lease runs out.
"""

from __future__ import annotations

from celery import shared_task
from flask import current_app

from app.extensions import db
from app.flows import retries, sweeps, timers
from app.models.base import utcnow


def _lease() -> int:
    return int(current_app.config.get("GS_FLOW_LEASE_SECONDS", sweeps.LEASE_SECONDS))


@shared_task(name="greenshelf.flow_timer", acks_late=True)
def fire_timer(timer_id: int) -> str:
    return sweeps.fire_timer(db.session, timer_id, lease=_lease())


@shared_task(name="greenshelf.flow_action", acks_late=True)
def run_action(run_id: int) -> str:
    return sweeps.run_action(db.session, run_id, retries.POLICY, lease=_lease())


@shared_task(name="greenshelf.flow_sweeper")
def flow_sweeper() -> int:
    now = utcnow()
    timer_ids = timers.due_timers(db.session, now)
    run_ids = retries.due_runs(db.session, now)
    db.session.rollback()  # end the read before the messages go out
    for timer_id in timer_ids:
        fire_timer.delay(timer_id)
    for run_id in run_ids:
        run_action.delay(run_id)
    return len(timer_ids) + len(run_ids)
