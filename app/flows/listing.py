"""Every flow instance of the tenant, for administrators: filter by flow, status, initiator
and start time, newest first, one page at a time.

It only reads; who may call it is the route's business. The caller's own instances are
listed by ``app.flows.instances.list_initiated``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func

from app.auth.scope import Scope
from app.flows.instances import instance_summary
from app.flows.people import display_names
from app.models import FlowDefinition, FlowInstance, FlowVersion


@dataclass(frozen=True)
class InstanceFilter:
    """What an administrator narrows the list to; None leaves a criterion out."""

    flow_id: int | None = None
    status: str | None = None
    initiator_id: int | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


def _conditions(criteria: InstanceFilter) -> list:
    conditions = []
    if criteria.flow_id is not None:
        conditions.append(FlowInstance.definition_id == criteria.flow_id)
    if criteria.status is not None:
        conditions.append(FlowInstance.status == criteria.status)
    if criteria.initiator_id is not None:
        conditions.append(FlowInstance.initiator_id == criteria.initiator_id)
    if criteria.created_from is not None:
        conditions.append(FlowInstance.created_at >= criteria.created_from)
    if criteria.created_to is not None:
        conditions.append(FlowInstance.created_at <= criteria.created_to)
    return conditions


def list_all_instances(scope: Scope, criteria: InstanceFilter, page: int, page_size: int) -> dict:
    """The tenant's instances matching ``criteria``, newest first, with the total count."""
    conditions = _conditions(criteria)
    total = scope.session.scalar(
        scope.select(FlowInstance, func.count(FlowInstance.id)).where(*conditions)
    )
    rows = scope.session.execute(
        scope.select(FlowInstance, FlowInstance, FlowDefinition.name, FlowVersion.version)
        .join(FlowDefinition, FlowDefinition.id == FlowInstance.definition_id)
        .join(FlowVersion, FlowVersion.id == FlowInstance.version_id)
        .where(*conditions)
        .order_by(FlowInstance.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    names = display_names(scope, {row[0].initiator_id for row in rows})
    return {
        "items": [
            _row(instance, flow_name, version, names) for instance, flow_name, version in rows
        ],
        "total": total or 0,
        "page": page,
        "page_size": page_size,
    }


def _row(instance: FlowInstance, flow_name: str, version: int, names: dict[int, str]) -> dict:
    return {**instance_summary(instance, names), "flow_name": flow_name, "version": version}
