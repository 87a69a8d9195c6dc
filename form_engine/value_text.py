"""How a stored value reads inside a message text, once in Python and once compiled to SQL.

Messages (warning-rule to-dos, notifications, robot, SMS and email texts) fill their
placeholders with record values. Some are rendered in Python from the row a driver
returned, others by the database in one set-based statement; both go through this module,
so a value reads the same whichever did it and whichever database holds it. The rule is
the field type's ``display`` (what record lists and exports show) wherever SQL can say it
too: choices by their label, money as ``¥1,234,567.89``, a decimal with its field's places,
a percentage as short as it goes, yes / no as 是 / 否, several choices as
their labels joined by commas. Where ``display`` would depend on the
driver it is pinned: a date and time in UTC to the second (``2026-01-02 03:04:05+00:00``),
a time of day to the second. Rich text reads as it is stored (no SQL strips HTML the
way ``display`` does), and other values kept as JSON (places, files, sub-tables) read
as empty text. Empty reads as empty text.

Must not change what ``FieldType.display`` does: it serves lists and exports.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import Text, case, cast, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from form_engine.expr.sql_dialects import RULES
from form_engine.fields import FIELD_TYPES, field_type
from form_engine.fields.base import label

#: what a message shows for yes and no (the template language is Chinese, like the levels)
YES, NO = "是", "否"
DEFAULT_CURRENCY = "¥"

_KINDS = {
    "integer": "integer",
    "rating": "integer",
    "user": "integer",
    "department": "integer",
    "relation": "integer",
    "decimal": "decimal",
    "money": "money",
    "percent": "percent",
    "date": "date",
    "datetime": "datetime",
    "time": "time",
    "switch": "boolean",
    "select": "choice",
    "radio": "choice",
    "multiselect": "choices",
    "checkbox": "choices",
    "location": None,
    "attachment": None,
    "image": None,
    "subtable": None,
}
_FORMULA_KINDS = {
    "integer": "integer",
    "decimal": "decimal",
    "boolean": "boolean",
    "date": "date",
    "string": "text",
}


def text_kind(field: dict) -> str | None:
    """How a field's value reads ("text", "integer", "decimal", "money", "percent", "date",
    "datetime", "time", "boolean", "choice", "choices"), or None when it reads as empty."""
    kind = field["type"]
    if kind == "formula":
        return _FORMULA_KINDS.get(field_type(field).result_type(field), "decimal")
    if kind not in FIELD_TYPES:
        raise KeyError(kind)
    return _KINDS.get(kind, "text")


def _scale(field: dict) -> int:
    if field["type"] == "formula":
        return 6  # a decimal formula is stored as NUMERIC(18, 6)
    return field_type(field).scale(field)


def value_text(field: dict, value: Any) -> str:
    """The text a message shows for ``value``, a stored value of ``field``."""
    kind = text_kind(field)
    if value is None or kind is None:
        return ""
    if kind == "integer":
        return str(int(value))
    if kind in ("decimal", "money", "percent"):
        places = Decimal(1).scaleb(-_scale(field))
        number = Decimal(value).quantize(places, rounding=ROUND_HALF_EVEN) + 0
        if kind == "decimal":
            return format(number, "f")
        return field_type(field).display(field, number)
    if kind == "boolean":
        return YES if value else NO
    if kind == "choice":
        return field_type(field).display(field, str(value))
    if kind == "choices":
        names = _labels(field)
        return (
            ", ".join(names.get(str(v), str(v)) for v in value) if isinstance(value, list) else ""
        )
    if kind == "date":
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    if kind == "datetime":
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat(sep=" ", timespec="seconds")
    if kind == "time":
        return value.isoformat(timespec="seconds")
    return str(value)


def value_text_sql(field: dict, value, dialect: str) -> ColumnElement:
    """``value_text`` as a SQL expression over ``value`` (a column of ``field``'s values),
    for ``dialect`` ("postgresql" or "sqlite"): never NULL, empty text for empty values."""
    kind = text_kind(field)
    rules = RULES[dialect]
    if kind is None:
        return literal("", Text)
    if kind == "integer":
        shown = cast(value, Text)
    elif kind == "decimal":
        shown = rules.fixed_text(value, _scale(field))
    elif kind == "money":
        units, cents = rules.money_text(value, _scale(field))
        symbol = literal(field.get("currency_symbol", DEFAULT_CURRENCY), Text)
        sign = case((value < 0, "-"), else_="")
        shown = symbol.op("||")(sign).op("||")(units).op("||")(".").op("||")(cents)
    elif kind == "percent":
        shown = rules.fixed_text(value, _scale(field))
        if _scale(field) > 0:
            shown = func.rtrim(func.rtrim(shown, "0"), ".")
        shown = shown.op("||")("%")
    elif kind == "boolean":
        return case((value.is_(True), YES), (value.is_(False), NO), else_=literal("", Text))
    elif kind == "choice":
        shown = _choice(field, value)
    elif kind == "choices":
        return _choices(field, value, rules)
    elif kind == "date":
        shown = rules.day_text(value)
    elif kind == "datetime":
        shown = rules.moment_text(value).op("||")("+00:00")
    elif kind == "time":
        shown = rules.clock_text(value)
    else:
        shown = cast(value, Text)
    return case((value.is_(None), literal("", Text)), else_=shown)


def _labels(field: dict) -> dict[str, str]:
    """Each option's label by its stored value (the value where the option has none)."""
    return {
        str(o["value"]): label(o) if o.get("label") else str(o["value"])
        for o in field.get("options", [])
    }


def _choice(field: dict, value):
    """A choice's label (the stored value where the option has none)."""
    labels = _labels(field)
    text = cast(value, Text)
    return case(labels, value=text, else_=text) if labels else text


def _choices(field: dict, value, rules):
    """The labels of a list of choices kept as JSON, in their order, joined by commas."""
    labels = _labels(field)
    items, is_list = rules.list_items(value)
    item = items.c.value
    shown = case(labels, value=item, else_=item) if labels else item
    joined = rules.joined(shown, items)
    listed = func.coalesce(select(joined).select_from(items).scalar_subquery(), "")
    return case((is_list, listed), else_=literal("", Text))
