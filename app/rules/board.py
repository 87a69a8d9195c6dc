"""Reading alerts: the board, the summary by level and a record's level history."""

from __future__ import annotations

from sqlalchemy import case, func, select

from app.auth.scope import Scope
from app.models import Alert, AlertEvent

URGENCY = case({"expired": 0, "red": 1, "yellow": 2}, value=Alert.level, else_=3)


def list_alerts(scope: Scope, args: dict) -> dict:
    stmt = scope.select(Alert)
    stmt = stmt.where(
        Alert.closed_at.is_not(None) if args.get("closed") else Alert.closed_at.is_(None)
    )
    for key in ("rule_id", "level", "warehouse", "category"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Alert, key) == args[key])
    total = scope.session.scalar(select(func.count()).select_from(stmt.subquery()))
    page, size = args["page"], args["page_size"]
    items = scope.session.scalars(
        stmt.order_by(URGENCY, Alert.days_left, Alert.id).offset((page - 1) * size).limit(size)
    ).all()
    return {"items": items, "total": total, "page": page, "page_size": size}


def summary(scope: Scope) -> dict:
    rows = scope.session.execute(
        scope.select(
            Alert, Alert.level, func.count(), func.sum(Alert.quantity), func.sum(Alert.value)
        )
        .where(Alert.closed_at.is_(None))
        .group_by(Alert.level)
    )
    levels = {
        level: {"count": 0, "quantity": "0", "value": "0"} for level in ("expired", "red", "yellow")
    }
    for level, count, quantity, value in rows:
        levels[level] = {"count": count, "quantity": str(quantity or 0), "value": str(value or 0)}
    return {"levels": levels}


def history(scope: Scope, alert_id: int) -> list[AlertEvent]:
    alert = scope.get(Alert, alert_id, "alert")
    stmt = (
        scope.select(AlertEvent)
        .join(Alert, Alert.id == AlertEvent.alert_id)
        .where(Alert.rule_id == alert.rule_id, Alert.record_id == alert.record_id)
    )
    return list(scope.session.scalars(stmt.order_by(AlertEvent.at, AlertEvent.id)))
