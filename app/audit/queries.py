"""Reading the audit log, newest first, with filters (what, which one, who, how, when)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.scope import Scope
from app.models import AuditEntry

FILTERS = ("object_type", "object_id", "actor_id", "action")


def list_entries(scope: Scope, filters: dict, page: int, page_size: int) -> dict:
    stmt = scope.select(AuditEntry)
    for key in FILTERS:
        if filters.get(key) is not None:
            stmt = stmt.where(getattr(AuditEntry, key) == filters[key])
    if filters.get("since") is not None:
        stmt = stmt.where(AuditEntry.at >= filters["since"])
    if filters.get("until") is not None:
        stmt = stmt.where(AuditEntry.at <= filters["until"])
    total = scope.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = scope.session.scalars(
        stmt.order_by(AuditEntry.id.desc()).offset((page - 1) * page_size).limit(page_size)
    ).all()
    return {"items": items, "total": total, "page": page, "page_size": page_size}
