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

from sqlalchemy import Numeric, and_, cast, func, literal, select, true

from app.rules.definition import (
    SALES_VAR,
    SHELF_VAR,
    days_left_expr,
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


def _columns(form: CompiledForm, d: dict, access: Access, forms_by_key) -> dict:
    table = form.table
    columns = {c.name: c for c in table.columns if c.name in form.expression_types}
    source = d["expiry"].get("shelf_life_from")
    if source:
        target = forms_by_key(form.fields[source["relation"]]["relation"]["form"])
        other = target.table
        columns[SHELF_VAR] = (
            select(other.c[source["field"]])
            .where(other.c.id == table.c[source["relation"]], other.c.tenant_id == access.tenant_id)
            .scalar_subquery()
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


def _optional(table, key: str | None):
    return table.c[key] if key else literal(None)


def classification_query(
    form: CompiledForm, d: dict, access: Access, forms_by_key, record_ids: list[int] | None = None
):
    table = form.table
    columns = _columns(form, d, access, forms_by_key)
    compile_ = lambda e: expr.to_sql(e, columns, access.today, access.dialect)  # noqa: E731
    scope = compile_(d["scope"]) if d.get("scope") not in (None, True) else true()
    quantity = _optional(table, d.get("quantity_field"))
    cost = _optional(table, d.get("cost_field"))
    where = and_(visible_rows(access, table), scope)
    if record_ids is not None:
        where = and_(where, table.c.id.in_(record_ids))
    return select(
        table.c.id,
        compile_(level_expr(d)).label("level"),
        compile_(metric_expr(d)).label("metric"),
        compile_(days_left_expr(d)).label("days_left"),
        quantity.label("quantity"),
        (quantity * cost).label("value")
        if d.get("cost_field") and d.get("quantity_field")
        else literal(None).label("value"),
        _optional(table, d.get("category_field")).label("category"),
        _optional(table, d.get("warehouse_field")).label("warehouse"),
        _optional(table, d.get("title_field")).label("title"),
    ).where(where)


def classify(
    connection,
    form: CompiledForm,
    d: dict,
    access: Access,
    forms_by_key,
    record_ids: list[int] | None = None,
) -> list[Classified]:
    rows = connection.execute(classification_query(form, d, access, forms_by_key, record_ids))
    return [
        Classified(
            record_id=row.id,
            level=row.level,
            metric=None if row.metric is None else Decimal(str(row.metric)),
            days_left=None if row.days_left is None else int(row.days_left),
            quantity=None if row.quantity is None else Decimal(str(row.quantity)),
            value=None if row.value is None else Decimal(str(row.value)),
            category=None if row.category is None else str(row.category),
            warehouse=None if row.warehouse is None else str(row.warehouse),
            title="" if row.title is None else str(row.title),
        )
        for row in rows
    ]
