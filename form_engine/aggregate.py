"""A chart compiled to one SQL aggregate: ``SELECT dimensions, measures ... GROUP BY``.

The records a chart reads are those the records API lists for the same condition, in the
caller's data scope (``records.query_clause``). An inner query reads, per record, each
dimension's value (a field, a date bucket, a field of the related record through a LEFT
JOIN, or the record's alert level) and each measure's input (a field or an expression); the
outer query groups and aggregates them, computes formulas over the aggregates (division by
zero gives null, as in the expression language), sorts and cuts the top N. Totals are the
same aggregates without grouping (on PostgreSQL one more grouping set of the same statement,
so the records are read once). Rows are never read into Python to be aggregated.

Alert levels are read through one LEFT JOIN per rule to its open alerts (``_Levels``), not
the expression compiler's per-row lookup, which costs a subquery per record and would make
a chart over a million batches take seconds. Two kinds of condition of the outer AND are
compiled here (``_split``), in forms the planner serves better and that select the same
records: a level tested against given values (``==``, ``!=``, ``in``, as level filters and
drill-downs write them) tests the joined level, which lets the planner turn the join into an
inner one; a text or choice field ``in`` a list of values is ``column IN (...)``, which an
index on the field serves (the expression compiler writes ``a = x OR a = y``). Everything
else goes to ``query_clause`` as it is.

A comparison with the previous period is the same statement too: the condition selects the
records of both periods, the inner query marks those of the chart's own period (``current``),
every aggregate of the groups takes only those (``FILTER (WHERE ...)``) and the previous
period's totals are the same aggregates over the others; groups that only the previous
period has are left out (``HAVING``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    String,
    and_,
    case,
    distinct,
    false,
    func,
    literal,
    null,
    or_,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.engine import Connection

from form_engine import expr
from form_engine.access import Access
from form_engine.chart_definition import ChartSpec, Dimension
from form_engine.chart_measures import Measure, expression_type
from form_engine.compiled import CompiledForm
from form_engine.date_buckets import as_day, bucket_sql
from form_engine.expr.alert_levels import ALERTS, FORMS, LEVELS, NO_ALERT, RULES
from form_engine.expr.sql_types import RESULT_TYPES
from form_engine.expr.syntax import operation
from form_engine.records import query_clause

#: a chart without a limit shows at most this many groups (``truncated`` says there were more)
MAX_GROUPS = 5000
#: decimals in results are rounded to this many places (the language's comparison places)
PLACES = Decimal("0.000001")
#: levels of an alert-level dimension in the order people read them
SEVERITY = {level: rank for rank, level in enumerate(LEVELS)}


@dataclass
class ChartResult:
    #: {dimension key: value, measure key: number}, sorted and cut
    rows: list[dict]
    totals: dict
    truncated: bool = False
    #: the previous period's totals (None: no comparison was asked for)
    previous: dict | None = None


def aggregate(
    conn: Connection,
    form: CompiledForm,
    spec: ChartSpec,
    access: Access,
    condition: Any,
    current: Any = None,
) -> ChartResult:
    """The chart's groups and totals over the records ``condition`` selects.

    With ``current`` (a condition), ``condition`` selects the records of two periods and
    ``current`` those of the chart's own: the groups and totals are over those, and
    ``previous`` holds the totals over the others, all read by the same statement.
    """
    query = _Query(conn, form, spec, access, condition, current)
    keys = [query.inner.c[f"d{i}"] for i in range(len(spec.dimensions))]
    dimensions = [key.label(key.name) for key in keys]
    measures = query.measures()
    before = query.measures(PREVIOUS) if query.compared else {}
    # FROM named: a chart that only counts rows reads no column of the inner query
    stmt = select(*dimensions, *measures.values(), *before.values()).select_from(query.inner)
    order = query.order(dimensions, measures)
    cap = spec.limit or MAX_GROUPS + 1
    previous = None
    if keys and conn.dialect.name == "postgresql":
        # The totals are one more grouping set (the empty one) of the same statement, so
        # the records are read once; its row sorts first.
        total = func.grouping(*keys)
        stmt = stmt.add_columns(total.label("total_row"))
        stmt = stmt.group_by(func.grouping_sets(tuple_(*keys), tuple_()))
        if query.compared:
            stmt = stmt.having(or_(total == 1, query.in_period() > 0))
        found = conn.execute(stmt.order_by(total.desc(), *order).limit(cap + 1)).all()
        totals = query.totals(found[0])
        previous = query.totals(found[0], PREVIOUS) if query.compared else None
        rows = [query.row(row) for row in found[1:]]
    else:
        if keys:
            stmt = stmt.group_by(*keys)
            if query.compared:
                stmt = stmt.having(query.in_period() > 0)
        found = conn.execute(stmt.order_by(*order).limit(cap)).all()
        rows = [query.row(row) for row in found]
        if keys:
            totals, previous = _totals(conn, query)
        else:  # ungrouped, the one row is the totals
            totals = dict(rows[0])
            previous = query.totals(found[0], PREVIOUS) if query.compared else None
    truncated = spec.limit is None and len(rows) > MAX_GROUPS
    return ChartResult(rows[:MAX_GROUPS], totals, truncated, previous)


def _totals(conn: Connection, query: _Query) -> tuple[dict, dict | None]:
    measures = query.measures()
    before = query.measures(PREVIOUS) if query.compared else {}
    stmt = select(*measures.values(), *before.values()).select_from(query.inner)
    row = conn.execute(stmt).one()
    return query.totals(row), query.totals(row, PREVIOUS) if query.compared else None


def count_records(conn: Connection, form: CompiledForm, access: Access, condition: Any) -> int:
    """How many records ``condition`` selects in the caller's scope (as the records API)."""
    split = _split(condition, form)
    levels = _Levels(conn, form, {rule for rule, _, _ in split.levels})
    stmt = select(func.count()).select_from(levels.joined(form.table))
    return conn.execute(stmt.where(*_where(form, access, split, levels))).scalar_one()


#: the label prefix of the previous period's measures
PREVIOUS = "previous_"


class _Query:
    def __init__(
        self,
        conn: Connection,
        form: CompiledForm,
        spec: ChartSpec,
        access: Access,
        condition: Any,
        current: Any = None,
    ):
        self.form = form
        self.spec = spec
        self.access = access
        self.compared = current is not None
        split = _split(condition, form)
        rules = {d.rule for d in spec.dimensions if d.kind == "level"}
        rules |= {rule for rule, _, _ in split.levels}
        self.levels = _Levels(conn, form, rules)
        self.inner = self._inner(split, current).subquery("chart_rows")

    def _inner(self, split: _Split, current: Any):
        table = self.form.table
        joins = {
            source: target.table.alias(f"rel_{source}")
            for source, target in self.spec.relations.items()
        }
        columns = [
            self._dimension(d, joins).label(f"d{i}") for i, d in enumerate(self.spec.dimensions)
        ]
        for index, measure in enumerate(self.spec.measures):
            value = self._input(measure)
            if value is not None:
                columns.append(value.label(f"m{index}"))
        if current is not None:  # 1: a record of the chart's own period, 0: of the previous
            flag = expr.to_sql(current, self._columns(), self.access.today, self.access.dialect)
            columns.append(case((flag, 1), else_=0).label("in_period"))
        if not columns:
            columns = [table.c.id]
        source = table
        for key, target in joins.items():
            source = source.outerjoin(
                target,
                and_(
                    target.c.id == table.c[key],
                    target.c.tenant_id == table.c.tenant_id,
                    target.c.deleted_at.is_(None),
                ),
            )
        source = self.levels.joined(source)
        where = _where(self.form, self.access, split, self.levels)
        return select(*columns).select_from(source).where(*where)

    def _dimension(self, dimension: Dimension, joins: dict):
        if dimension.kind == "level":
            return func.coalesce(self.levels.column(dimension.rule), literal(NO_ALERT, String))
        table = joins[dimension.source] if dimension.kind == "related" else self.form.table
        column = table.c[dimension.target_field or dimension.source]
        if not dimension.bucket:
            return column
        is_datetime = expression_type(dimension.field) == "datetime"
        return bucket_sql(column, dimension.bucket, is_datetime, self.access.dialect)

    def _input(self, measure: Measure):
        """What a measure aggregates, per record (None: it counts rows, or is a formula)."""
        if measure.field is not None:
            return self.form.table.c[measure.field]
        if measure.expr is not None:
            columns, today = self._columns(), self.access.today
            return expr.to_sql(measure.expr, columns, today, self.access.dialect)
        return None

    def _columns(self) -> dict:
        types = self.form.expression_types
        return {c.name: c for c in self.form.table.columns if c.name in types}

    def in_period(self):
        """How many of a group's records are of the chart's own period."""
        return func.count().filter(self.inner.c.in_period == 1)

    def measures(self, prefix: str = "") -> dict[str, Any]:
        """Each measure's aggregate (formulas over the others), labelled by its key: over the
        chart's own period, or with ``prefix`` (``PREVIOUS``) over the previous one."""
        found: dict[str, Any] = {}
        types: dict[str, str] = {}
        period = None
        if self.compared:
            period = self.inner.c.in_period == (0 if prefix else 1)
        for index, measure in enumerate(self.spec.measures):
            if measure.formula is None:
                found[measure.key] = self._aggregate(measure, index, period)
                types[measure.key] = measure.type
        pending = [m for m in self.spec.measures if m.formula is not None]
        while pending:  # in the order they need each other (the definition has no circles)
            for measure in list(pending):
                names = expr.fields_used(measure.formula)
                if names <= set(found):
                    found[measure.key] = expr.to_sql(
                        measure.formula,
                        {n: found[n] for n in names},
                        self.access.today,
                        self.access.dialect,
                        {n: types[n] for n in names},
                    )
                    types[measure.key] = measure.type
                    pending.remove(measure)
        return {m.key: found[m.key].label(prefix + m.key) for m in self.spec.measures}

    def _aggregate(self, measure: Measure, index: int, period=None):
        value = self.inner.c.get(f"m{index}")
        if measure.agg == "count":
            counted = func.count() if value is None else func.count(value)
        elif measure.agg == "count_distinct":
            counted = func.count(distinct(value))
        else:
            counted = getattr(func, measure.agg)(value)
        if period is not None:
            counted = counted.filter(period)
        return type_coerce(counted, RESULT_TYPES[measure.type])

    def order(self, dimensions: list, measures: dict) -> list:
        """The chart's sort, then every dimension (empty groups last) so ties keep an order."""
        named = {d.key: dimensions[i] for i, d in enumerate(self.spec.dimensions)}
        named.update(measures)
        clauses = []
        for key, descending in self.spec.sort:
            column = named[key]
            clauses.append((column.desc() if descending else column.asc()).nulls_last())
        for dimension, column in zip(self.spec.dimensions, dimensions, strict=True):
            if dimension.kind == "level":  # by severity, not by name
                column = case(SEVERITY, value=column, else_=len(SEVERITY))
            clauses.append(column.asc().nulls_last())
        return clauses

    def totals(self, row, prefix: str = "") -> dict:
        return {m.key: _number(row._mapping[prefix + m.key]) for m in self.spec.measures}

    def row(self, row) -> dict:
        mapping = row._mapping
        out = {}
        for index, dimension in enumerate(self.spec.dimensions):
            out[dimension.key] = dimension_value(dimension, mapping[f"d{index}"])
        for measure in self.spec.measures:
            out[measure.key] = _number(mapping[measure.key])
        return out


class _Levels:
    """Each rule's open alerts on the form's records, LEFT JOINed on the record id.

    A record has at most one open alert per rule (``ux_alerts_open``), so the join adds no
    rows; no alert (null) is green. The rule and the form are looked up first, so that the
    planner sees the rule's own number of alerts; a key no rule of the tenant has reads
    green everywhere, as ``alert_level`` does.
    """

    def __init__(self, conn: Connection, form: CompiledForm, rules: set[str]) -> None:
        self.table = form.table
        self.alerts: dict[str, Any] = {}
        if not rules:
            return
        found = conn.execute(
            select(RULES.c.key, RULES.c.id, FORMS.c.id)
            .select_from(RULES.join(FORMS, FORMS.c.tenant_id == RULES.c.tenant_id))
            .where(FORMS.c.table_name == form.table.name, RULES.c.key.in_(sorted(rules)))
        )
        a = ALERTS.c
        for index, (key, rule_id, form_id) in enumerate(sorted(found.all())):
            self.alerts[key] = (
                select(a.record_id, a.level)
                .where(a.rule_id == rule_id, a.form_id == form_id, a.closed_at.is_(None))
                .subquery(f"levels_{index}")
            )

    def joined(self, source):
        for alerts in self.alerts.values():
            source = source.outerjoin(alerts, alerts.c.record_id == self.table.c.id)
        return source

    def column(self, rule: str):
        """The level of the record's open alert under ``rule``; null when it has none."""
        alerts = self.alerts.get(rule)
        return null() if alerts is None else alerts.c.level

    def test(self, rule: str, op: str, values: frozenset):
        """The record's level is (``op`` ``in`` or ``==``) or is not (``!=``) one of
        ``values``, for a WHERE clause (null where a level is not one of them)."""
        level = self.column(rule)
        if op == "!=":
            (value,) = values
            return level.is_not(None) if value == NO_ALERT else or_(level.is_(None), level != value)
        alerted = sorted(values - {NO_ALERT})
        parts = [level.is_(None)] if NO_ALERT in values else []
        if alerted:
            parts.append(level.in_(alerted))
        return or_(*parts) if parts else false()


@dataclass
class _Split:
    """A condition as the tests compiled here and the condition left for ``query_clause``."""

    #: (rule, operator, values): the record's level under the rule is (not) one of the values
    levels: list[tuple[str, str, frozenset]]
    #: (field, values): a text or choice field holds one of the values
    lists: list[tuple[str, frozenset]]
    rest: Any = None


def _where(form: CompiledForm, access: Access, split: _Split, levels: _Levels) -> list:
    """The WHERE clauses of a split condition, in the caller's scope."""
    where = [query_clause(form, access, split.rest, include_deleted=False)]
    where += [levels.test(*test) for test in split.levels]
    where += [form.table.c[key].in_(sorted(values)) for key, values in split.lists]
    return where


def _split(condition: Any, form: CompiledForm) -> _Split:
    split, rest = _Split([], []), []
    for part in _conjuncts(condition):
        level, listed = _level_test(part), _list_test(part, form)
        if level is not None:
            split.levels.append(level)
        elif listed is not None:
            split.lists.append(listed)
        else:
            rest.append(part)
    if rest:
        split.rest = rest[0] if len(rest) == 1 else {"and": rest}
    return split


def _conjuncts(condition: Any) -> list:
    if condition is None:
        return []
    found = operation(condition)
    if found is not None and found[0] == "and":
        return [part for arg in found[1] for part in _conjuncts(arg)]
    return [condition]


def _level_test(condition: Any) -> tuple[str, str, frozenset] | None:
    found = operation(condition)
    if found is None or len(found[1]) != 2:
        return None
    op, (left, right) = found
    if op in ("==", "!=") and _rule_of(right) is not None:
        left, right = right, left
    rule = _rule_of(left)
    if rule is None:
        return None
    if op in ("==", "!=") and isinstance(right, str):
        return rule, op, frozenset([right])
    if op == "in" and isinstance(right, list) and all(isinstance(v, str) for v in right):
        return rule, op, frozenset(right)
    return None


def _list_test(condition: Any, form: CompiledForm) -> tuple[str, frozenset] | None:
    """``{"in": [{"var": key}, [texts]]}`` on a text or choice field, as (key, values).

    Text compares as it is in both forms (no rounding, no case folding), and a row whose
    field is empty is selected by neither, so ``IN`` selects what the ORs select.
    """
    found = operation(condition)
    if found is None or found[0] != "in" or len(found[1]) != 2:
        return None
    needle, values = found[1]
    variable = operation(needle)
    if variable is None or variable[0] != "var" or len(variable[1]) != 1:
        return None
    key = variable[1][0]
    if not isinstance(key, str) or form.expression_types.get(key) != "string":
        return None
    if key not in form.table.c or not isinstance(values, list) or not values:
        return None
    if not all(isinstance(value, str) for value in values):
        return None
    return key, frozenset(values)


def _rule_of(node: Any) -> str | None:
    """The rule key of an ``alert_level`` node, else None."""
    found = operation(node)
    if found is None or found[0] != "alert_level" or not isinstance(found[1][0], str):
        return None
    return found[1][0]


def dimension_value(dimension: Dimension, value: Any) -> Any:
    """A grouped value as JSON carries it: dates as ISO text, decimals as numbers."""
    if value is None:
        return None
    if dimension.bucket:
        return as_day(value).isoformat()
    return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _number(value)
    return value


def _number(value: Any) -> Any:
    """Integers stay integers; decimals become numbers rounded to ``PLACES``."""
    if isinstance(value, Decimal):
        exact = value.quantize(PLACES, rounding=ROUND_HALF_UP) if value.adjusted() < 30 else value
        return float(exact)
    if isinstance(value, datetime | date):
        return _plain(value)
    return value
