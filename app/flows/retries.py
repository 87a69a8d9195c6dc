"""Retrying deferred service actions: one attempt, the backoff between attempts, the incident
the last failure raises and its resolution, and which action runs are due.

An attempt runs the action in a savepoint of the instance's transaction; success moves the
flow on (``Flow.finish_service``), a failure waits ``Policy.wait`` before the next try, and
after the last one the instance turns "incident" until an administrator retries it
(``app.flows.incidents``). A connector call waits for its delivery's outcome instead.
This module acts inside a caller's transaction on an already loaded run: it never commits
the flow's move nor settles it (``app.flows.sweeps`` and ``app.flows.incidents`` do).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.auth.scope import Scope
from app.errors import GreenShelfError
from app.flows.run import Run, record_event
from app.flows.service_actions import PERFORM, Call
from app.models import Delivery, FlowActionRun, FlowIncident
from app.models.base import utcnow


@dataclass(frozen=True)
class Policy:
    """How often a deferred action is tried before it becomes an incident."""

    max_attempts: int = 3
    first_wait: int = 5  # seconds before the second attempt; each next wait is 4x longer

    def wait(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.first_wait * 4 ** (attempts - 1), 3600))


POLICY = Policy()


def attempt(run: Run, row: FlowActionRun, policy: Policy) -> bool:
    """Try the row's action once, in a savepoint; True when it succeeded and the flow
    moved on. A failure is recorded on the row (and, after the last attempt, raised as an
    incident); the savepoint leaves nothing of the failed attempt behind."""
    node = run.version.nodes.get(row.node_id, {})
    call = Call(run, node, node.get("inputs") or {}, row)
    row.attempts += 1
    row.leased_until = None
    try:
        with run.scope.session.begin_nested():
            result = PERFORM[row.action](call)
    except GreenShelfError as exc:
        _failed(run, row, exc.message, policy)
        return False
    except Exception as exc:  # an action meets the outside world: record, never a 500
        _failed(run, row, f"{type(exc).__name__}: {exc}", policy)
        return False
    row.result = result
    if call.waits_for is not None:
        row.status, row.delivery_id, row.next_attempt_at = "waiting", call.waits_for, None
        return False
    _succeeded(run, row, result)
    return True


def _succeeded(run: Run, row: FlowActionRun, result: dict) -> None:
    row.status, row.finished_at, row.last_error, row.next_attempt_at = (
        "succeeded",
        utcnow(),
        None,
        None,
    )
    row.result = result
    resolve(run, row)
    record_event(
        run, row.action, node_id=row.node_id, node_name=row.node_name, system=True, details=result
    )
    run.flow.finish_service(row.engine_task_id)


def _failed(run: Run, row: FlowActionRun, error: str, policy: Policy) -> None:
    row.last_error = error[:2000]
    if row.attempts < row.max_attempts:
        row.status, row.next_attempt_at = "retrying", utcnow() + policy.wait(row.attempts)
        return
    row.status, row.next_attempt_at = "failed", None
    raise_incident(run, row)


def check_delivery(run: Run, row: FlowActionRun, policy: Policy) -> bool:
    """A connector call's delivery finished: move on, or raise the incident it ended in."""
    row.leased_until = None
    delivery = run.scope.session.get(Delivery, row.delivery_id)
    if delivery is None or delivery.status not in ("succeeded", "dead"):
        return False
    row.attempts = max(row.attempts, delivery.attempts)
    if delivery.status == "dead":
        row.attempts = row.max_attempts
        _failed(run, row, delivery.last_error or "The delivery failed.", policy)
        return False
    _succeeded(run, row, {**(row.result or {}), "response": delivery.response_excerpt})
    return True


def raise_incident(run: Run, row: FlowActionRun) -> FlowIncident:
    """Open (or bring up to date) the incident of a run that used its last attempt: the
    instance stays where it is and nobody can act on it."""
    incident = _open_incident(run.scope, row.id)
    if incident is None:
        incident = run.scope.add(
            FlowIncident(
                instance_id=run.instance.id,
                run_id=row.id,
                node_id=row.node_id,
                node_name=row.node_name,
                action=row.action,
                error=row.last_error or "",
                attempts=row.attempts,
                status="open",
            )
        )
    incident.error, incident.attempts = row.last_error or "", row.attempts
    run.instance.status = "incident"
    record_event(
        run,
        "incident",
        node_id=row.node_id,
        node_name=row.node_name,
        system=True,
        details={"action": row.action, "error": row.last_error, "attempts": row.attempts},
    )
    return incident


def resolve(run: Run, row: FlowActionRun) -> None:
    """The run's action succeeded: close its incident and let the instance go on."""
    incident = _open_incident(run.scope, row.id)
    if incident is not None:
        incident.status, incident.resolved_at = "resolved", utcnow()
        actor = run.scope.session.info.get("actor", (None, ""))[0]
        incident.resolved_by = actor
    if run.instance.status == "incident" and not _others_open(run.scope, run.instance.id, row.id):
        run.instance.status = "running"


def _open_incident(scope: Scope, run_id: int) -> FlowIncident | None:
    return scope.session.scalar(
        scope.select(FlowIncident).where(
            FlowIncident.run_id == run_id, FlowIncident.status == "open"
        )
    )


def _others_open(scope: Scope, instance_id: int, run_id: int) -> bool:
    stmt = scope.select(FlowIncident, FlowIncident.id).where(
        FlowIncident.instance_id == instance_id,
        FlowIncident.status == "open",
        FlowIncident.run_id != run_id,
    )
    return scope.session.scalar(stmt.limit(1)) is not None


def due_runs(session: Session, now: datetime, tenant_id: int | None = None) -> list[int]:
    """Action runs to try now: due retries and connector calls whose delivery finished
    (of one tenant, if given)."""
    retries = select(FlowActionRun.id).where(
        FlowActionRun.status == "retrying",
        FlowActionRun.next_attempt_at <= now,
        (FlowActionRun.leased_until.is_(None)) | (FlowActionRun.leased_until < now),
    )
    finished = (
        select(FlowActionRun.id)
        .join(Delivery, Delivery.id == FlowActionRun.delivery_id)
        .where(FlowActionRun.status == "waiting", Delivery.status.in_(["succeeded", "dead"]))
    )
    if tenant_id is not None:
        retries = retries.where(FlowActionRun.tenant_id == tenant_id)
        finished = finished.where(FlowActionRun.tenant_id == tenant_id)
    return list(session.scalars(retries.limit(500))) + list(session.scalars(finished.limit(500)))


def claim(session: Session, run_id: int, now: datetime, lease_seconds: int) -> bool:
    """Take a retrying or waiting action run for ``lease_seconds`` (committed at once);
    False if another worker holds it or it is done."""
    taken = session.execute(
        update(FlowActionRun)
        .where(
            FlowActionRun.id == run_id,
            FlowActionRun.status.in_(["retrying", "waiting"]),
            FlowActionRun.leased_until.is_(None) | (FlowActionRun.leased_until < now),
        )
        .values(leased_until=now + timedelta(seconds=lease_seconds))
    ).rowcount
    session.commit()
    return bool(taken)


def retry_due(run: Run, row: FlowActionRun, policy: Policy, now: datetime) -> bool:
    """Act on a claimed run: see its delivery's outcome, or try it again if it is due;
    True when the flow moved on."""
    if row.status == "waiting":
        return check_delivery(run, row, policy)
    if row.next_attempt_at is not None and row.next_attempt_at > now:
        row.leased_until = None
        return False
    return attempt(run, row, policy)
