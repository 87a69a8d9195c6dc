"""A chart compiled to one SQL aggregate: ``SELECT dimensions, measures ... GROUP BY``.

The records a chart reads are those the records API lists for the same condition, in the
caller's data scope (``records.query_clause``). An inner query reads, per record, each
dimension's value (a field, a date bucket, a field of the related record through a LEFT
JOIN, or the record's alert level) and each measure's input (a field or an expression); the
outer query groups and aggregates them, computes formulas over the aggregates (division by
zero gives null, as in the expression language), sorts and cuts the top N. Totals are the
same aggregates without grouping. Rows are never read into Python to be aggregated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, distinct, func, select, type_coerce
from sqlalchemy.engine import Connection

from form_engine import expr
from form_engine.access import Access
from form_engine.chart_definition import ChartSpec, Dimension
from form_engine.chart_measures import Measure, expression_type
from form_engine.compiled import CompiledForm
from form_engine.date_buckets import as_day, bucket_sql
from form_engine.expr.alert_levels import LEVELS
from form_engine.expr.sql_types import RESULT_TYPES
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


def aggregate(
    conn: Connection, form: CompiledForm, spec: ChartSpec, access: Access, condition: Any
) -> ChartResult:
    """The chart's groups and totals over the records ``condition`` selects."""
    query = _Query(form, spec, access, condition)
    dimensions = [query.inner.c[f"d{i}"].label(f"d{i}") for i in range(len(spec.dimensions))]
    measures = query.measures()
    stmt = select(*dimensions, *measures.values())
    if dimensions:
        stmt = stmt.group_by(*dimensions)
    stmt = stmt.order_by(*query.order(dimensions, measures))
    cap = spec.limit or MAX_GROUPS + 1
    rows = [query.row(row) for row in conn.execute(stmt.limit(cap))]
    truncated = spec.limit is None and len(rows) > MAX_GROUPS
    if dimensions:
        totals = totals_of(conn, form, spec, access, condition)
    else:  # ungrouped, the one row is the totals
        totals = dict(rows[0])
    return ChartResult(rows[:MAX_GROUPS], totals, truncated)


def totals_of(
    conn: Connection, form: CompiledForm, spec: ChartSpec, access: Access, condition: Any
) -> dict:
    """The chart's measures over all the records ``condition`` selects, ungrouped."""
    query = _Query(form, spec, access, condition)
    measures = query.measures()
    row = conn.execute(select(*measures.values())).one()
    return {m.key: _number(row._mapping[m.key]) for m in spec.measures}


def count_records(conn: Connection, form: CompiledForm, access: Access, condition: Any) -> int:
    """How many records ``condition`` selects in the caller's scope (as the records API)."""
    where = query_clause(form, access, condition, include_deleted=False)
    return conn.execute(select(func.count()).select_from(form.table).where(where)).scalar_one()


class _Query:
    def __init__(self, form: CompiledForm, spec: ChartSpec, access: Access, condition: Any):
        self.form = form
        self.spec = spec
        self.access = access
        self.inner = self._inner(condition).subquery("chart_rows")

    def _inner(self, condition: Any):
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
        where = query_clause(self.form, self.access, condition, include_deleted=False)
        return select(*columns).select_from(source).where(where)

    def _dimension(self, dimension: Dimension, joins: dict):
        if dimension.kind == "level":
            columns = {c.name: c for c in self.form.table.columns}
            level = {"alert_level": dimension.rule}
            return expr.to_sql(level, columns, self.access.today, self.access.dialect)
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
            columns = {
                c.name: c for c in self.form.table.columns if c.name in self.form.expression_types
            }
            return expr.to_sql(measure.expr, columns, self.access.today, self.access.dialect)
        return None

    def measures(self) -> dict[str, Any]:
        """Each measure's aggregate (formulas over the others), labelled by its key."""
        found: dict[str, Any] = {}
        types: dict[str, str] = {}
        for index, measure in enumerate(self.spec.measures):
            if measure.formula is None:
                found[measure.key] = self._aggregate(measure, index)
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
        return {m.key: found[m.key].label(m.key) for m in self.spec.measures}

    def _aggregate(self, measure: Measure, index: int):
        value = self.inner.c.get(f"m{index}")
        if measure.agg == "count":
            counted = func.count() if value is None else func.count(value)
        elif measure.agg == "count_distinct":
            counted = func.count(distinct(value))
        else:
            counted = getattr(func, measure.agg)(value)
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

    def row(self, row) -> dict:
        mapping = row._mapping
        out = {}
        for index, dimension in enumerate(self.spec.dimensions):
            out[dimension.key] = dimension_value(dimension, mapping[f"d{index}"])
        for measure in self.spec.measures:
            out[measure.key] = _number(mapping[measure.key])
        return out


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
