"""Incidents: a service action that failed its last attempt, and what an administrator does.

Raising one marks the instance "incident" (it stays where it is; nobody can act on it);
an administrator lists them, reads one with its attempts and error, and retries it: the
action runs again at once and, when it succeeds, the flow continues from that step and the
incident is resolved. A connector call is retried by replaying its dead delivery; the
incident resolves when the delivery succeeds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import func

from app.auth.scope import Scope
from app.connectors import deliveries
from app.errors import Conflict
from app.models import FlowActionRun, FlowIncident, FlowInstance
from app.models.base import utcnow

if TYPE_CHECKING:
    from app.flows.progress import Run
    from app.flows.services import Policy


def raise_incident(run: Run, row: FlowActionRun) -> FlowIncident:
    """Open (or bring up to date) the incident of a run that used its last attempt."""
    from app.flows.progress import record_event

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


def list_incidents(
    scope: Scope,
    status: str | None,
    instance_id: int | None,
    action: str | None,
    page: int,
    page_size: int,
) -> dict:
    """Incidents newest first, filtered by status, instance and action."""
    stmt = scope.select(FlowIncident)
    for column, value in (
        (FlowIncident.status, status),
        (FlowIncident.instance_id, instance_id),
        (FlowIncident.action, action),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    total = scope.session.scalar(sa.select(func.count()).select_from(stmt.subquery()))
    rows = scope.session.scalars(
        stmt.order_by(FlowIncident.id.desc()).limit(page_size).offset((page - 1) * page_size)
    )
    return {"items": list(rows), "total": total, "page": page, "page_size": page_size}


def incident_detail(scope: Scope, incident_id: int) -> dict:
    """One incident with its instance's title and status and the action run's attempts."""
    incident = scope.get(FlowIncident, incident_id, "incident")
    instance = scope.get(FlowInstance, incident.instance_id, "flow instance")
    row = scope.get(FlowActionRun, incident.run_id, "action run")
    fields = ("id", "instance_id", "node_id", "node_name", "action", "error", "attempts")
    return {
        **{f: getattr(incident, f) for f in fields},
        "status": incident.status,
        "created_at": incident.created_at,
        "resolved_at": incident.resolved_at,
        "resolved_by": incident.resolved_by,
        "instance_title": instance.title,
        "instance_status": instance.status,
        "run": {
            "status": row.status,
            "attempts": row.attempts,
            "max_attempts": row.max_attempts,
            "last_error": row.last_error,
            "result": row.result,
            "delivery_id": row.delivery_id,
        },
    }


def retry(scope: Scope, incident_id: int, policy: Policy) -> dict:
    """Run the incident's action again now; on success the flow continues."""
    from app.flows.progress import load_run, one_writer, settle
    from app.flows.services import attempt

    incident = scope.get(FlowIncident, incident_id, "incident")
    if incident.status != "open":
        raise Conflict("This incident is already resolved.", code="incident_resolved")
    row = scope.get(FlowActionRun, incident.run_id, "action run")
    instance = scope.get(FlowInstance, incident.instance_id, "flow instance")
    with one_writer(scope):
        if row.action == "connector.call" and row.delivery_id is not None:
            deliveries.replay(scope, row.delivery_id)  # commits the replayed delivery
            row.status, row.leased_until = "waiting", None
            instance.updated_at = utcnow()
        else:
            run = load_run(scope, instance)
            if attempt(run, row, policy):
                settle(run)
            else:
                instance.updated_at = utcnow()
    return incident_detail(scope, incident_id)
