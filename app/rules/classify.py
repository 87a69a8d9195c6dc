"""One SQL statement that gives every row of the target form its level under a rule.

The level, metric and remaining days are the definition's expressions compiled by the
expression language; a shelf life looked up through a relation, and average daily sales
for "predicted unsold", are correlated subqueries beside the row's own columns. No
Python loop over rows: the database classifies them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Numeric, and_, cast, exists, func, literal, select, true

from app.rules.definition import (
    RED_VAR,
    SALES_VAR,
    SHELF_VAR,
    YELLOW_VAR,
    days_left_expr,
    field_types,
    level_expr,
    metric_expr,
)
from form_engine import expr
from form_engine.access import Access, visible_rows
from form_engine.compiled import CompiledForm


@dataclass(frozen=True)
class Classified:
    record_id: int
    level: str | None
    metric: Decimal | None
    days_left: int | None
    quantity: Decimal | None
    value: Decimal | None
    category: str | None
    warehouse: str | None
    title: str


def related_value(
    form: CompiledForm, path: list[str], field: str | None, tenant_id: int, forms_by_key, start=None
):
    """The value of ``field`` (None: the title) of the record each row reaches through the
    relation fields of ``path`` (the first on ``form``, the next on the form it points at,
    ...), as a correlated subquery; NULL where a link is empty. ``start`` is the column
    holding the first relation's value when it is not read from the form's table."""
    value = form.table.c[path[0]] if start is None else start
    current = form
    for index, key in enumerate(path):
        current = forms_by_key(current.fields[key]["relation"]["form"])
        other = current.table
        wanted = path[index + 1] if index + 1 < len(path) else field or current.title_key
        value = (
            select(other.c[wanted])
            .where(other.c.id == value, other.c.tenant_id == tenant_id)
            .scalar_subquery()
        )
    return value


def _columns(form: CompiledForm, d: dict, access: Access, forms_by_key) -> dict:
    table = form.table
    columns = {c.name: c for c in table.columns if c.name in form.expression_types}
    source = d["expiry"].get("shelf_life_from")
    if source:
        columns[SHELF_VAR] = related_value(
            form, [source["relation"]], source["field"], access.tenant_id, forms_by_key
        )
    thresholds = d.get("thresholds_from")
    if thresholds:
        for name, var in ((thresholds["red"], RED_VAR), (thresholds["yellow"], YELLOW_VAR)):
            columns[var] = related_value(
                form, thresholds["path"], name, access.tenant_id, forms_by_key
            )
    sales = d.get("sales")
    if d.get("metric") == "predicted_unsold" and sales:
        window = sales.get("window_days", 30)
        s = forms_by_key(sales["form"]).table
        since = access.today - timedelta(days=window)
        total = func.coalesce(func.sum(s.c[sales["qty_field"]]), 0)
        columns[SALES_VAR] = (
            select(cast(total, Numeric(18, 6)) / literal(window))
            .where(
                s.c[sales["sales_match_field"]] == table.c[sales["match_field"]],
                s.c.tenant_id == access.tenant_id,
                s.c.deleted_at.is_(None),
                s.c[sales["date_field"]] >= since,
            )
            .scalar_subquery()
        )
    return columns


def _scope_where(form: CompiledForm, d: dict, access: Access, forms_by_key):
    columns = _columns(form, d, access, forms_by_key)
    scope = (
        expr.to_sql(d["scope"], columns, access.today, access.dialect)
        if d.get("scope") not in (None, True)
        else true()
    )
    return and_(visible_rows(access, form.table), scope), columns


def in_scope(form: CompiledForm, d: dict, access: Access, forms_by_key):
    """``in_scope(record_id)``: whether that record is (still) one the rule looks at."""
    where, _ = _scope_where(form, d, access, forms_by_key)
    return lambda record_id: exists().where(form.table.c.id == record_id, where)


def count_in_scope(
    connection, form: CompiledForm, d: dict, access: Access, forms_by_key, record_ids=None
) -> int:
    """How many rows the rule looks at (those it classifies, whatever their level)."""
    where, _ = _scope_where(form, d, access, forms_by_key)
    if record_ids is not None:
        where = and_(where, form.table.c.id.in_(record_ids))
    return connection.scalar(select(func.count()).select_from(form.table).where(where))


DAYS, METRIC = "_days_left", "_metric"


def _layer(columns: dict, name: str, value, where=None):
    """A subquery adding one computed column, kept apart so each row computes it once.

    OFFSET 0 stops PostgreSQL and SQLite from flattening the subquery into the next one,
    which would copy the expression into every place the next one uses it.
    """
    stmt = select(*[c.label(n) for n, c in columns.items()], value.label(name))
    if where is not None:
        stmt = stmt.where(where)
    layer = stmt.offset(0).subquery()
    return {n: layer.c[n] for n in [*columns, name]}


def classification_query(
    form: CompiledForm, d: dict, access: Access, forms_by_key, record_ids: list[int] | None = None
):
    """Every row in the rule's scope with its level, metric, remaining days and facts.

    Three layers: the remaining days from the row's columns, then the metric from the
    remaining days, then the level from both and the overrides' conditions.
    """
    table = form.table
    where, columns = _scope_where(form, d, access, forms_by_key)
    if record_ids is not None:
        where = and_(where, table.c.id.in_(record_ids))
    types = {**field_types(form, d), DAYS: "integer", METRIC: "decimal"}

    def compile_(expression, over):
        return expr.to_sql(expression, over, access.today, access.dialect, types)

    # carry only what the later layers and the result read, not every column of the form
    wanted = expr.fields_used(level_expr(d)) | {
        d[key]
        for key in (
            "quantity_field",
            "cost_field",
            "category_field",
            "warehouse_field",
            "title_field",
        )
        if d.get(key)
    }
    base = {"id": table.c.id} | {
        n: columns[n] if n in columns else table.c[n]
        for n in sorted(wanted)
        if n in columns or n in table.c
    }
    with_days = _layer(base, DAYS, compile_(days_left_expr(d), columns), where)
    days = {"var": DAYS}
    rows = _layer(with_days, METRIC, compile_(metric_expr(d, days), with_days))
    level = compile_(level_expr(d, days, {"var": METRIC}), rows)

    def optional(key: str | None):
        return rows[key] if key else literal(None)

    def place(key: str | None):
        """A warehouse or category: a related record reads as its title."""
        if key and form.fields[key]["type"] == "relation":
            return related_value(form, [key], None, access.tenant_id, forms_by_key, rows[key])
        return optional(key)

    quantity, cost = optional(d.get("quantity_field")), optional(d.get("cost_field"))
    return select(
        rows["id"],
        level.label("level"),
        rows[METRIC].label("metric"),
        rows[DAYS].label("days_left"),
        quantity.label("quantity"),
        (quantity * cost).label("value")
        if d.get("cost_field") and d.get("quantity_field")
        else literal(None).label("value"),
        place(d.get("category_field")).label("category"),
        place(d.get("warehouse_field")).label("warehouse"),
        place(d.get("title_field")).label("title"),
    )
