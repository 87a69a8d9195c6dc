"""Which records a chart reads, and which are behind one of its values, as expressions.

A chart reads the records its own filter selects, narrowed by a dashboard's global filters
(a date range on the chart's ``date_field``, and ``equals`` on fields the form has). A
drill-down adds the clicked value of each dimension. All of it is one expression of the
condition language, so the records API selects exactly the chart's records with it, in the
viewer's data scope, and counts them the same. Nothing here touches the database but
``related_ids``, which finds the records a relation dimension's value stands for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from engine_errors import ValidationError
from form_engine import expr
from form_engine.access import Access
from form_engine.chart_definition import ChartSpec, Dimension
from form_engine.chart_measures import expression_type
from form_engine.compiled import CompiledForm
from form_engine.date_buckets import as_day, bucket_end, bucket_start
from form_engine.expr.alert_levels import LEVELS
from form_engine.query_hints import index_friendly

#: finds the ids of the records of a relation dimension's form that hold a value
RelatedIds = Callable[[Dimension, Any], list[int]]


def chart_condition(
    spec: ChartSpec,
    form: CompiledForm,
    filters: Mapping[str, Any] | None,
    period: tuple[date | None, date | None] | None = None,
) -> Any:
    """The chart's filter and the global ``filters`` as one condition (None: every record).

    ``period`` replaces the filters' date range (the previous period of a comparison).
    """
    filters = filters or {}
    parts = [spec.filter] if spec.filter is not None else []
    start, end = period or (filters.get("date_from"), filters.get("date_to"))
    if spec.date_field and (start or end):
        parts.extend(_date_range(spec.date_field, form, start, end))
    parts.extend(_equals(form, filters.get("equals") or {}))
    return _all(parts)


def previous_period(filters: Mapping[str, Any] | None) -> tuple[date, date] | None:
    """The period of the same length just before the filters' date range, if both ends are set."""
    start, end = (filters or {}).get("date_from"), (filters or {}).get("date_to")
    if not (isinstance(start, date) and isinstance(end, date)) or end < start:
        return None
    length = end - start + timedelta(days=1)
    try:
        return start - length, start - timedelta(days=1)
    except OverflowError:
        return None


def comparison(
    spec: ChartSpec, form: CompiledForm, filters: Mapping[str, Any] | None
) -> tuple[Any, Any, tuple[date, date]] | None:
    """For a chart compared with its previous period: the condition selecting the records
    of both periods, the one telling those of the filters' own period, and the previous
    period; None when there is nothing to compare (no comparison, or an open range)."""
    period = previous_period(filters) if spec.compare else None
    if period is None:
        return None
    both = chart_condition(spec, form, filters, (period[0], filters["date_to"]))
    own = _all(_date_range(spec.date_field, form, filters["date_from"], None))
    return both, own, period


def drill_condition(
    spec: ChartSpec,
    form: CompiledForm,
    filters: Mapping[str, Any] | None,
    point: Mapping[str, Any],
    related_ids: RelatedIds,
) -> Any:
    """The condition selecting exactly the records behind the chart's value at ``point``
    ({dimension key: value}, the values as the chart gave them; a dimension left out is
    not narrowed)."""
    parts = _point_parts(spec, point, related_ids)
    base = chart_condition(spec, form, filters)
    return _all([base, *parts] if base is not None else parts)


def point_condition(spec: ChartSpec, point: Mapping[str, Any], related_ids: RelatedIds) -> Any:
    """The records at ``point``: each dimension it names has the value it gives (None for
    an empty point), or ValidationError naming each key that is not a value of the chart
    (``point.<key>``)."""
    return _all(_point_parts(spec, point, related_ids))


def _point_parts(spec: ChartSpec, point: Mapping[str, Any], related_ids: RelatedIds) -> list:
    errors: dict[str, list[str]] = {}
    parts = []
    for key, value in point.items():
        dimension = spec.dimension(key)
        if dimension is None:
            errors[f"point.{key}"] = ["No dimension of this chart has this key."]
            continue
        try:
            parts.append(_point(dimension, value, related_ids))
        except ValidationError as exc:
            errors[f"point.{key}"] = [exc.message]
    if errors:
        path = next(iter(errors))
        raise ValidationError(f"The point is not a value of this chart: {path}", errors)
    return parts


def related_ids(
    conn: Connection, access: Access, dimension: Dimension, condition: Any
) -> list[int]:
    """Ids of the live records of the tenant in ``dimension.target`` where ``condition``
    (over the target field) holds, in order."""
    table = dimension.target.table
    columns = {c.name: c for c in table.columns if c.name in dimension.target.expression_types}
    where = index_friendly(expr.to_sql(condition, columns, access.today, access.dialect))
    stmt = select(table.c.id).where(
        table.c.tenant_id == access.tenant_id, table.c.deleted_at.is_(None), where
    )
    return list(conn.scalars(stmt.order_by(table.c.id)))


def _all(parts: list) -> Any:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"and": parts}


def _date_range(key: str, form: CompiledForm, start: date | None, end: date | None) -> list:
    """``start`` <= the field <= ``end``, whole days; a date and time counts to the end of
    the last day."""
    variable = {"var": key}
    if expression_type(form.fields[key]) == "date":
        parts = [{">=": [variable, start.isoformat()]}] if start else []
        return parts + ([{"<=": [variable, end.isoformat()]}] if end else [])
    parts = [{">=": [variable, f"{start.isoformat()}T00:00:00"]}] if start else []
    if end and end < date.max:
        parts.append({"<": [variable, f"{(end + timedelta(days=1)).isoformat()}T00:00:00"]})
    return parts


def _equals(form: CompiledForm, equals: Mapping[str, Any]) -> list:
    """A condition per ``equals`` key the form has (others are not this chart's business)."""
    parts, errors = [], {}
    types = form.expression_types
    for key, wanted in equals.items():
        kind = types.get(key)
        if kind is None:
            continue
        values = wanted if isinstance(wanted, list) else [wanted]
        if kind == "array":
            options = [{"in": [v, {"var": key}]} for v in values]
            condition = options[0] if len(options) == 1 else {"or": options}
        elif isinstance(wanted, list):
            condition = {"in": [{"var": key}, wanted]}
        else:
            condition = {"==": [{"var": key}, wanted]}
        try:
            expr.check(condition, types)
        except ValidationError:
            errors[f"filters.equals.{key}"] = [f"Not a value of '{key}'."]
            continue
        parts.append(condition)
    if errors:
        raise ValidationError(f"The filters do not fit: {next(iter(errors))}", errors)
    return parts


def _point(dimension: Dimension, value: Any, related_ids: RelatedIds) -> Any:
    if dimension.kind == "level":
        if value not in LEVELS:
            raise ValidationError(f"One of {', '.join(LEVELS)}.")
        return {"==": [{"alert_level": dimension.rule}, value]}
    if dimension.kind == "related":
        return _related_point(dimension, value, related_ids)
    return _value_condition(dimension, dimension.source, value)


def _value_condition(dimension: Dimension, key: str, value: Any) -> Any:
    """``key`` (holding the dimension's field) has the grouped value ``value``."""
    variable = {"var": key}
    if value is None:
        condition = {"==": [variable, None]}
    elif dimension.bucket:
        start = _bucket_start(value, dimension.bucket)
        end = bucket_end(start, dimension.bucket)
        if expression_type(dimension.field) == "date":
            condition = {"between": [variable, start.isoformat(), end.isoformat()]}
        else:
            condition = _moments(variable, start, end)
    else:
        condition = {"==": [variable, value]}
    fields = {key: expression_type(dimension.field)}
    try:
        expr.check(condition, fields)
    except ValidationError:
        raise ValidationError(f"Not a value of '{dimension.key}'.") from None
    return condition


def _moments(variable: dict, start: date, end: date) -> Any:
    parts = [{">=": [variable, f"{start.isoformat()}T00:00:00"]}]
    if end < date.max:
        parts.append({"<": [variable, f"{(end + timedelta(days=1)).isoformat()}T00:00:00"]})
    return {"and": parts}


def _bucket_start(value: Any, bucket: str) -> date:
    try:
        start = as_day(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        start = None
    if start is None or bucket_start(start, bucket) != start:
        raise ValidationError(f"The first day of a {bucket} (YYYY-MM-DD).")
    return start


def _related_point(dimension: Dimension, value: Any, related_ids: RelatedIds) -> Any:
    """The records pointing at a record whose field has ``value``. Empty (null) takes in
    those pointing at nothing, or at a record that is gone or has the field empty."""
    variable = {"var": dimension.source}
    target = dimension.target_field
    if value is None:
        present = related_ids(dimension, {"!": {"==": [{"var": target}, None]}})
        return {"!": {"in": [variable, present]}}
    wanted = _value_condition(dimension, target, value)
    return {"in": [variable, related_ids(dimension, wanted)]}
