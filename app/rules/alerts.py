"""Keeping one open alert per (rule, record) in step with the classification.

New yellow/red/expired rows open an alert; a more severe level escalates it; a milder
one updates it quietly; a row that turns green or leaves the scope closes it. Actions
fire once per level change, guarded in the database: the open-alert unique index decides
which of two concurrent scans opens an alert, a conditional UPDATE which one escalates,
and the ``action_firings`` unique key which one fires, so no action ever fires twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.auth.scope import Scope
from app.models import ActionFiring, Alert, AlertEvent
from app.models.base import utcnow
from app.rules.classify import Classified
from app.rules.definition import SEVERITY


@dataclass
class ScanResult:
    opened: int = 0
    escalated: int = 0
    changed: int = 0
    closed: int = 0
    to_fire: list[tuple[int, str, Classified]] = field(default_factory=list)


def _insert_ignoring(scope: Scope, table, values: dict, conflict: list[str], where=None):
    dialect = postgresql if scope.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(**values)
    stmt = stmt.on_conflict_do_nothing(index_elements=conflict, index_where=where)
    return scope.session.execute(stmt.returning(table.c.id)).scalar()


def claim_firing(scope: Scope, alert_id: int, level: str) -> bool:
    """True for the one caller that may fire this level's actions for this alert."""
    row = _insert_ignoring(
        scope,
        ActionFiring.__table__,
        {"tenant_id": scope.tenant_id, "alert_id": alert_id, "level": level, "at": utcnow()},
        ["alert_id", "level"],
    )
    return row is not None


def _facts(row: Classified) -> dict:
    return {
        "metric": row.metric,
        "days_left": row.days_left,
        "quantity": row.quantity,
        "value": row.value,
        "category": row.category,
        "warehouse": row.warehouse,
        "title": row.title[:300],
    }


def _event(scope: Scope, alert_id: int, before: str | None, after: str | None) -> None:
    scope.session.execute(
        insert(AlertEvent.__table__).values(
            tenant_id=scope.tenant_id,
            alert_id=alert_id,
            from_level=before,
            to_level=after,
            at=utcnow(),
        )
    )


def reconcile(
    scope: Scope,
    rule_id: int,
    form_id: int,
    rows: list[Classified],
    record_ids: list[int] | None = None,
) -> ScanResult:
    """Open, escalate, update and close alerts; list the (alert, level) whose actions fire."""
    result = ScanResult()
    table = Alert.__table__
    stmt = select(Alert).where(
        Alert.tenant_id == scope.tenant_id, Alert.rule_id == rule_id, Alert.closed_at.is_(None)
    )
    if record_ids is not None:
        stmt = stmt.where(Alert.record_id.in_(record_ids))
    open_alerts = {a.record_id: a for a in scope.session.scalars(stmt)}
    now = utcnow()
    alerting = {r.record_id: r for r in rows if r.level in ("yellow", "red", "expired")}
    for record_id, row in alerting.items():
        alert = open_alerts.get(record_id)
        if alert is None:
            alert_id = _insert_ignoring(
                scope,
                table,
                {
                    "tenant_id": scope.tenant_id,
                    "rule_id": rule_id,
                    "form_id": form_id,
                    "record_id": record_id,
                    "level": row.level,
                    "first_seen_at": now,
                    "level_since": now,
                    "escalations": 0,
                    "created_at": now,
                    "updated_at": now,
                    **_facts(row),
                },
                ["rule_id", "record_id"],
                where=table.c.closed_at.is_(None),
            )
            if alert_id is not None:
                result.opened += 1
                _event(scope, alert_id, None, row.level)
                result.to_fire.append((alert_id, row.level, row))
            continue
        if alert.level == row.level:
            scope.session.execute(
                update(table).where(table.c.id == alert.id).values(**_facts(row), updated_at=now)
            )
            continue
        worse = SEVERITY[row.level] > SEVERITY[alert.level]
        moved = scope.session.execute(
            update(table)
            .where(
                table.c.id == alert.id, table.c.level == alert.level, table.c.closed_at.is_(None)
            )
            .values(
                level=row.level,
                level_since=now,
                updated_at=now,
                escalations=table.c.escalations + (1 if worse else 0),
                **_facts(row),
            )
        ).rowcount
        if moved:
            _event(scope, alert.id, alert.level, row.level)
            if worse:
                result.escalated += 1
                result.to_fire.append((alert.id, row.level, row))
            else:
                result.changed += 1
    classified = {r.record_id for r in rows}
    for record_id, alert in open_alerts.items():
        if record_id in alerting:
            continue
        reason = "green" if record_id in classified else "left scope"
        closed = scope.session.execute(
            update(table)
            .where(table.c.id == alert.id, table.c.closed_at.is_(None))
            .values(closed_at=now, close_reason=reason, updated_at=now)
        ).rowcount
        if closed:
            result.closed += 1
            _event(scope, alert.id, alert.level, None)
    return result
