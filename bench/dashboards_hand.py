"""The cockpit-style charts of ``bench/dashboards.py`` written by hand in SQL: the baseline
each compiled chart is timed against and checked to agree with (same figures, same
previous period), in the same data scope."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text


def _scoped(alias: str, seen) -> str:
    if seen is None:
        return ""
    return f" AND {alias}.owner_department_id IN ({', '.join(str(int(d)) for d in seen)})"


def hand_near_expiry(session, ctx, seen) -> list:
    sql = f"""
        SELECT b.warehouse, a.level, count(*) AS batches, sum(b.qty * b.cost) AS value
        FROM alerts a JOIN {ctx["batches"]} b ON b.id = a.record_id
        WHERE a.rule_id = :rule AND a.closed_at IS NULL AND a.level IN ('yellow', 'red', 'expired')
          AND b.tenant_id = :tenant AND b.deleted_at IS NULL{_scoped("b", seen)}
        GROUP BY GROUPING SETS ((b.warehouse, a.level), ())
        ORDER BY 1, 2"""
    return session.execute(text(sql), {"rule": ctx["rule"], "tenant": ctx["tenant"]}).all()


def hand_disposals(session, ctx, seen) -> list:
    sql = f"""
        SELECT m.kind, date_trunc('month', m.date)::date AS month,
               sum(m.amount) AS amount, count(*) AS moves
        FROM {ctx["moves"]} m
        WHERE m.tenant_id = :tenant AND m.deleted_at IS NULL{_scoped("m", seen)}
          AND m.kind IN ('disposal', 'scrap', 'conversion') AND m.date BETWEEN :start AND :end
        GROUP BY GROUPING SETS ((1, 2), ())
        ORDER BY 1, 2"""
    period = {"start": ctx["filters"]["date_from"], "end": ctx["filters"]["date_to"]}
    return session.execute(text(sql), {"tenant": ctx["tenant"], **period}).all()


def _previous(ctx) -> dict:
    start, end = ctx["filters"]["date_from"], ctx["filters"]["date_to"]
    return {"before": start - (end - start + timedelta(days=1)), "start": start, "end": end}


def hand_scrap(session, ctx, seen) -> list:
    sql = f"""
        SELECT m.date >= :start AS current, date_trunc('month', m.date)::date AS month,
               sum(m.amount) AS loss, count(*) AS moves
        FROM {ctx["moves"]} m
        WHERE m.tenant_id = :tenant AND m.deleted_at IS NULL{_scoped("m", seen)}
          AND m.kind = 'scrap' AND m.date BETWEEN :before AND :end
        GROUP BY GROUPING SETS ((1, 2), (1))
        ORDER BY 1, 2"""
    return session.execute(text(sql), {"tenant": ctx["tenant"], **_previous(ctx)}).all()


def hand_value(session, ctx, seen) -> list:
    sql = f"""
        SELECT sum(b.qty * b.cost) FILTER (WHERE b.produced >= :start) AS value,
               sum(b.qty * b.cost) FILTER (WHERE b.produced < :start) AS previous
        FROM alerts a JOIN {ctx["batches"]} b ON b.id = a.record_id
        WHERE a.rule_id = :rule AND a.closed_at IS NULL AND a.level IN ('yellow', 'red')
          AND b.tenant_id = :tenant AND b.deleted_at IS NULL{_scoped("b", seen)}
          AND b.produced BETWEEN :before AND :end"""
    params = {"rule": ctx["rule"], "tenant": ctx["tenant"], **_previous(ctx)}
    return session.execute(text(sql), params).all()


def _grand(column: int):
    """The total row of a GROUPING SETS (..., ()) query: the one whose keys are all null."""
    return lambda rows: next(r[column] for r in rows if r[0] is None and r[1] is None)


def _period(current: bool, column: int):
    return lambda rows: next((r[column] for r in rows if r[0] is current and r[1] is None), None)


def hand_alerts(session, ctx, seen) -> list:
    sql = f"""
        SELECT date_trunc('month', a.first_seen_at AT TIME ZONE 'UTC')::date AS month,
               NULL AS none, count(*) AS raised, count(a.handled_at) AS handled,
               avg(round((extract(epoch FROM a.handled_at - a.first_seen_at) / 3600)::numeric, 2))
        FROM alerts a JOIN {ctx["batches"]} b ON b.id = a.record_id AND b.tenant_id = a.tenant_id
        WHERE a.form_id = :form AND a.rule_id = :rule
          AND b.tenant_id = :tenant AND b.deleted_at IS NULL{_scoped("b", seen)}
          AND a.first_seen_at >= :start AND a.first_seen_at < :end
        GROUP BY GROUPING SETS ((1), ())
        ORDER BY 1"""
    params = {
        "form": ctx["forms"]["batches"][0].id,
        "rule": ctx["rule"],
        "tenant": ctx["tenant"],
        "start": ctx["filters"]["date_from"],
        "end": ctx["filters"]["date_to"] + timedelta(days=1),
    }
    return session.execute(text(sql), params).all()


HAND = {
    "alerts_by_month": hand_alerts,
    "near_expiry_by_warehouse": hand_near_expiry,
    "disposals_by_month": hand_disposals,
    "scrap_loss_trend": hand_scrap,
    "near_expiry_value": hand_value,
}
#: the first measure's total, from the hand-written rows
HAND_TOTAL = {
    "alerts_by_month": _grand(2),
    "near_expiry_by_warehouse": _grand(2),
    "disposals_by_month": _grand(2),
    "scrap_loss_trend": _period(True, 2),
    "near_expiry_value": lambda rows: rows[0][0],
}
HAND_PREVIOUS = {
    "scrap_loss_trend": _period(False, 2),
    "near_expiry_value": lambda rows: rows[0][1],
}
