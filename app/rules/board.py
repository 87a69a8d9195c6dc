"""Reading alerts: the board, the summary by level and a record's level history."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import case, func, select

from app.auth.scope import Scope
from app.models import Alert, AlertEvent

URGENCY = case({"expired": 0, "red": 1, "yellow": 2}, value=Alert.level, else_=3)


def _filtered(stmt, args: dict):
    """The board's filters, the same for the list and the summary."""
    stmt = stmt.where(
        Alert.closed_at.is_not(None) if args.get("closed") else Alert.closed_at.is_(None)
    )
    for key in ("rule_id", "level", "warehouse", "category"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Alert, key) == args[key])
    return stmt


def list_alerts(scope: Scope, args: dict) -> dict:
    stmt = _filtered(scope.select(Alert), args)
    total = scope.session.scalar(select(func.count()).select_from(stmt.subquery()))
    page, size = args["page"], args["page_size"]
    items = scope.session.scalars(
        stmt.order_by(URGENCY, Alert.days_left, Alert.id).offset((page - 1) * size).limit(size)
    ).all()
    return {"items": items, "total": total, "page": page, "page_size": size}


def plain_number(value) -> str:
    """A sum as people write it: 9, 12.5 (not 9.0000)."""
    return f"{Decimal(str(value or 0)).normalize():f}"


def summary(scope: Scope, args: dict) -> dict:
    """Batches counted by level, with quantities and value, under the list's filters.

    A batch two rules watch has an alert under each: it counts once, at the more urgent of
    its levels, so adding a rule never inflates the board's figures for the same stock.
    """
    ranked = _filtered(
        scope.select(
            Alert,
            Alert.level,
            Alert.quantity,
            Alert.value,
            func.row_number()
            .over(partition_by=(Alert.form_id, Alert.record_id), order_by=(URGENCY, Alert.id))
            .label("rank"),
        ),
        {**args, "level": None},
    ).subquery()
    stmt = select(
        ranked.c.level, func.count(), func.sum(ranked.c.quantity), func.sum(ranked.c.value)
    ).where(ranked.c.rank == 1)
    if args.get("level") is not None:
        stmt = stmt.where(ranked.c.level == args["level"])
    rows = scope.session.execute(stmt.group_by(ranked.c.level))
    levels = {
        level: {"count": 0, "quantity": "0", "value": "0"} for level in ("expired", "red", "yellow")
    }
    for level, count, quantity, value in rows:
        levels[level] = {
            "count": count,
            "quantity": plain_number(quantity),
            "value": plain_number(value),
        }
    return {"levels": levels}


def history(scope: Scope, alert_id: int) -> list[AlertEvent]:
    alert = scope.get(Alert, alert_id, "alert")
    stmt = (
        scope.select(AlertEvent)
        .join(Alert, Alert.id == AlertEvent.alert_id)
        .where(Alert.rule_id == alert.rule_id, Alert.record_id == alert.record_id)
    )
    return list(scope.session.scalars(stmt.order_by(AlertEvent.at, AlertEvent.id)))
