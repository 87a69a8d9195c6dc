"""Keeping one open alert per (rule, record) in step with the classification, in SQL.

What differs between the classification and the rule's open alerts is written once into
a temporary table (``rule_scan``): rows whose alert opens, moves level, gets fresh facts
or closes; an unchanged rescan writes none. A handful of set-based statements then open
new alerts, move the level of those whose level changed (escalation counts when it got
worse), refresh facts, and close alerts whose record turned green or left the scope,
writing the level history as they go. No Python loop over rows. Actions fire once per level change,
guarded in the database: the open-alert unique index decides which of two concurrent
scans opens an alert, and a conditional update of the alert's ``fired`` bits which one
claims an escalation's actions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    and_,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from app import events
from app.auth.scope import Scope
from app.models import Alert, AlertEvent
from app.models.base import utcnow
from app.rules import temp_tables
from app.rules.classify import Classified
from app.rules.definition import FIRED_BIT, SEVERITY

ALERTING = ("yellow", "red", "expired")
FACTS = ("metric", "days_left", "quantity", "value", "category", "warehouse", "title")

SCAN = Table(
    "rule_scan",
    MetaData(),
    Column("record_id", BigInteger, primary_key=True),
    #: the level now (NULL: the record no longer alerts, its alert closes)
    Column("level", String(16)),
    Column("metric", Numeric(18, 4)),
    Column("days_left", Integer),
    #: the quantity as the form stores it: to-dos show 12, not 12.0000
    Column("quantity", Numeric()),
    Column("value", Numeric(18, 4)),
    Column("category", String(200)),
    Column("warehouse", String(200)),
    Column("title", String(300)),
    #: the open alert and its level (NULL: none yet, one opens)
    Column("alert_id", BigInteger),
    Column("old_level", String(16)),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)


@dataclass
class ScanResult:
    opened: int = 0
    escalated: int = 0
    changed: int = 0
    closed: int = 0
    fired: int = 0
    #: when the scan ran and which alerts it looked at: what claimed actions are found by
    at: datetime | None = None
    where: list = field(default_factory=list)


def _severity(column):
    return case(SEVERITY, value=column, else_=-1)


def _bit(column):
    return case(FIRED_BIT, value=column, else_=0)


def _fill(scope: Scope, classified, mine: list) -> None:
    """Write what differs between the classification and the open alerts, and only that.

    One FULL JOIN of the alerting rows with the rule's open alerts: a row without an
    alert opens one, an alert without a row closes, a different level moves, different
    facts are refreshed. An unchanged rescan writes nothing here, so every statement
    after it has nothing to do.
    """
    a = Alert.__table__
    rows = classified.subquery()
    now = (
        select(
            rows.c.id,
            rows.c.level,
            *[cast(rows.c[name], SCAN.c[name].type) for name in ("metric", "days_left")],
            *[cast(rows.c[name], SCAN.c[name].type) for name in ("quantity", "value")],
            func.substr(cast(rows.c.category, Text), 1, 200).label("category"),
            func.substr(cast(rows.c.warehouse, Text), 1, 200).label("warehouse"),
            func.substr(func.coalesce(cast(rows.c.title, Text), ""), 1, 300).label("title"),
        )
        .where(rows.c.level.in_(ALERTING))
        .subquery("alerting")
    )
    if temp_tables.dialect(scope) is sqlite:
        _fill_stepwise(scope, now, mine)
        return
    before = select(a.c.id, a.c.record_id, a.c.level, *[a.c[n] for n in FACTS]).where(*mine)
    before = before.subquery("open_alerts")
    differs = or_(
        now.c.id.is_(None),
        before.c.id.is_(None),
        now.c.level != before.c.level,
        *[now.c[name].is_distinct_from(before.c[name]) for name in FACTS],
    )
    scope.session.execute(
        insert(SCAN).from_select(
            ["record_id", "level", *FACTS, "alert_id", "old_level"],
            select(
                func.coalesce(now.c.id, before.c.record_id),
                now.c.level,
                *[now.c[name] for name in FACTS],
                before.c.id,
                before.c.level,
            )
            .select_from(now.outerjoin(before, before.c.record_id == now.c.id, full=True))
            .where(differs),
        )
    )
    temp_tables.analyze(scope, SCAN)


def _same_facts(x, y):
    return and_(*[x[name].is_not_distinct_from(y[name]) for name in FACTS])


def _fill_stepwise(scope: Scope, alerting, mine: list) -> None:
    """The same rows as the FULL JOIN, in steps SQLite runs with index lookups (it would
    run the FULL JOIN of two subqueries as a nested loop): every alerting row beside its
    open alert, then the open alerts left without a row, then the unchanged rows out."""
    a, s = Alert.__table__, SCAN.c
    scope.session.execute(
        insert(SCAN).from_select(
            ["record_id", "level", *FACTS, "alert_id", "old_level"],
            select(
                alerting.c.id, alerting.c.level, *[alerting.c[n] for n in FACTS], a.c.id, a.c.level
            ).select_from(alerting.outerjoin(a, and_(*mine, a.c.record_id == alerting.c.id))),
        )
    )
    left = select(a.c.record_id, a.c.id, a.c.level).where(
        *mine, ~exists().where(s.record_id == a.c.record_id)
    )
    scope.session.execute(insert(SCAN).from_select(["record_id", "alert_id", "old_level"], left))
    unchanged = exists().where(a.c.id == s.alert_id, a.c.level == s.level, _same_facts(a.c, s))
    scope.session.execute(SCAN.delete().where(unchanged))


def _events(scope: Scope, rows) -> None:
    """History rows for (alert id, from level, to level) selected by ``rows``."""
    scope.session.execute(
        insert(AlertEvent.__table__).from_select(
            ["tenant_id", "alert_id", "from_level", "to_level", "at"], rows
        )
    )


def reconcile(
    scope: Scope,
    rule_id: int,
    form_id: int,
    classified,
    in_scope: Callable,
    record_ids: list[int] | None = None,
) -> ScanResult:
    """Open, escalate, update and close alerts from the ``classified`` select.

    ``in_scope(record_id_column)`` says whether a record still belongs to the rule's
    scope, to tell "turned green" from "left the scope" when an alert closes.
    """
    result = ScanResult()
    a = Alert.__table__
    now = utcnow()
    tenant = literal(scope.tenant_id)
    mine = [a.c.tenant_id == scope.tenant_id, a.c.rule_id == rule_id, a.c.closed_at.is_(None)]
    if record_ids is not None:
        mine.append(a.c.record_id.in_(record_ids))
    temp_tables.create(scope, SCAN)
    _fill(scope, classified, mine)
    s, by_alert = SCAN.c, a.c.id == SCAN.c.alert_id

    gone = s.level.is_(None)
    _events(scope, select(tenant, s.alert_id, s.old_level, null(), literal(now)).where(gone))
    reason = case((in_scope(a.c.record_id), "green"), else_="left scope")
    result.closed = scope.session.execute(
        update(a)
        .where(by_alert, gone, a.c.closed_at.is_(None))
        .values(closed_at=now, close_reason=reason, updated_at=now)
    ).rowcount

    moved = and_(s.alert_id.is_not(None), s.level.is_not(None), s.level != s.old_level)
    worse = _severity(s.level) > _severity(s.old_level)
    escalated, changed = scope.session.execute(
        select(func.count(case((worse, 1))), func.count(case((~worse, 1)))).where(moved)
    ).one()
    result.escalated, result.changed = escalated, changed
    _events(scope, select(tenant, s.alert_id, s.old_level, s.level, literal(now)).where(moved))
    facts = {name: s[name] for name in FACTS}
    scope.session.execute(
        update(a)
        .where(by_alert, moved, a.c.closed_at.is_(None))
        .values(
            level=s.level,
            level_since=now,
            updated_at=now,
            escalations=a.c.escalations + case((worse, 1), else_=0),
            **facts,
        )
    )
    scope.session.execute(
        update(a).where(by_alert, s.level == s.old_level).values(updated_at=now, **facts)
    )
    # An escalation claims its level's actions unless they fired for this alert before.
    claims = scope.session.execute(
        update(a)
        .where(
            by_alert, moved, worse, a.c.closed_at.is_(None), a.c.fired.op("&")(_bit(s.level)) == 0
        )
        .values(fired=a.c.fired.op("|")(_bit(s.level)), fired_at=now)
    ).rowcount

    columns = ["tenant_id", "rule_id", "form_id", "record_id", "level", *FACTS]
    stamps = ["first_seen_at", "level_since", "escalations", "created_at", "updated_at"]
    new = select(
        tenant,
        literal(rule_id),
        literal(form_id),
        s.record_id,
        s.level,
        *[s[name] for name in FACTS],
        *[literal(now), literal(now), literal(0), literal(now), literal(now)],
        _bit(s.level),  # a new alert claims its level's actions as it opens
        literal(now),
    ).where(s.alert_id.is_(None), s.level.is_not(None))
    opening = (
        temp_tables.dialect(scope)
        .insert(a)
        .from_select(columns + stamps + ["fired", "fired_at"], new)
        .on_conflict_do_nothing(
            index_elements=["rule_id", "record_id"], index_where=a.c.closed_at.is_(None)
        )
    )
    mine.append(a.c.record_id == s.record_id)  # from here on: the alerts this scan touched
    result.opened = _open(scope, opening, mine, now)
    result.fired = result.opened + claims
    result.at, result.where = now, mine
    events.emit(events.alert_levels_changed, events.AlertLevelsChanged(scope, rule_id, now))
    return result


def _open(scope: Scope, opening, mine: list, now: datetime) -> int:
    """Open the new alerts and write the first line of their history; how many opened.

    PostgreSQL does both in one statement, the history taken from the inserted rows;
    SQLite, which has no INSERT in a WITH clause, finds the new alerts by their stamp.
    """
    a, tenant = Alert.__table__, literal(scope.tenant_id)
    if temp_tables.dialect(scope) is postgresql:
        opened = opening.returning(a.c.id, a.c.level).cte("opened")
        fresh = select(tenant, opened.c.id, null(), opened.c.level, literal(now))
        history = insert(AlertEvent.__table__).from_select(
            ["tenant_id", "alert_id", "from_level", "to_level", "at"], fresh
        )
        return scope.session.execute(
            history.add_cte(opened).execution_options(preserve_rowcount=True)
        ).rowcount
    count = scope.session.execute(opening.execution_options(preserve_rowcount=True)).rowcount
    fresh = select(tenant, a.c.id, null(), a.c.level, literal(now))
    _events(scope, fresh.where(*mine, a.c.first_seen_at == now))
    return count


def claimed(
    scope: Scope, result: ScanResult, levels: dict[str, int | None]
) -> tuple[list[tuple], dict[str, int]]:
    """(alert id, level, facts) of the alerts at ``levels`` whose actions this scan claimed,
    and how many were left out per level: ``levels`` maps a level to how many of its alerts
    its actions need to see (None: all), the most urgent first."""
    a, mine, now = Alert.__table__, result.where, result.at
    found, left_out = [], {}
    for level, limit in levels.items():
        total = func.count().over().label("total")
        stmt = (
            select(a.c.id, a.c.record_id, a.c.level, *[SCAN.c[name] for name in FACTS], total)
            .join(SCAN, SCAN.c.record_id == a.c.record_id)
            .where(*mine, a.c.fired_at == now, a.c.level == level)
            .order_by(SCAN.c.days_left.asc().nulls_last(), a.c.record_id)
        )
        rows = scope.session.execute(stmt if limit is None else stmt.limit(limit)).all()
        found.extend(rows)
        if rows and rows[0].total > len(rows):
            left_out[level] = rows[0].total - len(rows)
    return [
        (
            row.id,
            row.level,
            Classified(
                record_id=row.record_id,
                level=row.level,
                metric=row.metric,
                days_left=row.days_left,
                quantity=row.quantity,
                value=row.value,
                category=row.category,
                warehouse=row.warehouse,
                title=row.title or "",
            ),
        )
        for row in found
    ], left_out


def close_alerts(scope: Scope, rule_id: int, reason: str) -> int:
    """Close every open alert of a rule (it was archived), writing their history."""
    a = Alert.__table__
    now = utcnow()
    mine = and_(a.c.tenant_id == scope.tenant_id, a.c.rule_id == rule_id, a.c.closed_at.is_(None))
    tenant = literal(scope.tenant_id)
    _events(scope, select(tenant, a.c.id, a.c.level, null(), literal(now)).where(mine))
    closed = scope.session.execute(
        update(a).where(mine).values(closed_at=now, close_reason=reason, updated_at=now)
    )
    events.emit(events.alert_levels_changed, events.AlertLevelsChanged(scope, rule_id, now))
    return closed.rowcount
