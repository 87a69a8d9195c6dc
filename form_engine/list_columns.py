"""What a form's record list shows: its default columns, and columns computed as it is read.

A form's metadata may say ``"list": {"columns": [...], "computed": [...]}`` (its shape is
checked with the rest of the metadata in ``schema``). ``columns`` are
the keys the list shows until a person picks their own (fields, or computed columns).
A computed column is an expression of the condition language evaluated by the database
for each row as the list is read, never stored: what changes with the day (remaining days,
``{"days_until": [{"var": "expiry"}]}``) or lives outside the row (a warning rule's level,
``{"alert_level": "<rule key>"}``) reads true on every page. A list may filter and sort by
a computed column as by a field. A computed column may give ``options`` (value, label,
colour), shown like a choice field's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, String, type_coerce

from engine_errors import ValidationError
from form_engine.expr.sql_types import LITERAL_TYPES

if TYPE_CHECKING:
    from form_engine.access import Access
    from form_engine.compiled import CompiledForm


def problems(meta: dict, names: dict[str, str]) -> dict[str, list[str]]:
    """What is wrong with the form's list setting; ``names`` are the fields an expression
    may read, with their types."""
    setting = meta.get("list")
    if not setting:
        return {}
    from form_engine import expr

    found: dict[str, list[str]] = {}
    keys = {f["key"] for f in meta["fields"] if not f.get("removed")}
    computed = set()
    for index, column in enumerate(setting.get("computed") or []):
        path = f"list.computed.{index}"
        if column["key"] in keys | computed | {"id"}:
            found.setdefault(f"{path}.key", []).append(f"'{column['key']}' is used twice.")
        computed.add(column["key"])
        try:
            expr.check(column["expression"], names)
        except ValidationError as exc:
            for messages in (exc.errors or {"": [exc.message]}).values():
                found.setdefault(f"{path}.expression", []).extend(messages)
    for index, key in enumerate(setting.get("columns") or []):
        if key not in keys | computed:
            found.setdefault(f"list.columns.{index}", []).append(f"No field or column '{key}'.")
    return found


def computed_columns(meta: dict) -> dict[str, dict]:
    """The form's computed list columns by key."""
    return {c["key"]: c for c in (meta.get("list") or {}).get("computed") or []}


def form_columns(form: CompiledForm, access: Access) -> dict[str, tuple[ColumnElement, str]]:
    """Each computed column of the form as SQL over its table, with its expression type."""
    if not computed_columns(form.meta):
        return {}
    from form_engine import expr

    types = form.expression_types
    columns = {c.name: c for c in form.table.columns if c.name in types}
    out = {}
    for key, column in computed_columns(form.meta).items():
        expression = column["expression"]
        kind = expr.check(expression, types)
        sql = expr.to_sql(expression, columns, access.today, access.dialect, types)
        # read as a field of its type would be, so a filter on it is typed alike
        out[key] = (type_coerce(sql, LITERAL_TYPES.get(kind, String)()), kind)
    return out


def plain(value: Any) -> Any:
    """A computed value as the API sends it: dates as text, whole decimals as integers."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value
