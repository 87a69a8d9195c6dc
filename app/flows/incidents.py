"""Incidents, as an administrator handles them: list them, read one with its attempts and
error, and retry it.

An incident is raised when a service action fails its last attempt (``app.flows.retries``):
the instance stays where it is and nobody can act on it. A retry runs the action again at
once and, when it succeeds, the flow continues from that step and the incident is resolved.
A connector call is retried by replaying its dead delivery; the incident resolves when the
delivery succeeds. This module does not try actions itself: ``retries`` does.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import func

from app.auth.scope import Scope
from app.connectors import deliveries
from app.errors import Conflict
from app.flows.retries import Policy, attempt
from app.flows.run import load_run, one_writer
from app.flows.settling import settle
from app.models import FlowActionRun, FlowIncident, FlowInstance
from app.models.base import utcnow


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
