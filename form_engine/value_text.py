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

from sqlalchemy import Integer, Numeric, Text, case, cast, func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement

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
    pg = dialect == "postgresql"
    if kind is None:
        return literal("", Text)
    if kind == "integer":
        shown = cast(value, Text)
    elif kind == "decimal":
        shown = _fixed(value, _scale(field), pg)
    elif kind == "money":
        shown = _money(field, value, pg)
    elif kind == "percent":
        shown = _fixed(value, _scale(field), pg)
        if _scale(field) > 0:
            shown = func.rtrim(func.rtrim(shown, "0"), ".")
        shown = shown.op("||")("%")
    elif kind == "boolean":
        return case((value.is_(True), YES), (value.is_(False), NO), else_=literal("", Text))
    elif kind == "choice":
        shown = _choice(field, value)
    elif kind == "choices":
        return _choices(field, value, pg)
    elif kind == "date":
        shown = func.to_char(value, "YYYY-MM-DD") if pg else func.substr(cast(value, Text), 1, 10)
    elif kind == "datetime":
        shown = (
            func.to_char(func.timezone("UTC", value), "YYYY-MM-DD HH24:MI:SS")
            if pg
            else func.substr(cast(value, Text), 1, 19)
        ).op("||")("+00:00")
    elif kind == "time":
        shown = func.to_char(value, "HH24:MI:SS") if pg else func.substr(cast(value, Text), 1, 8)
    else:
        shown = cast(value, Text)
    return case((value.is_(None), literal("", Text)), else_=shown)


def _fixed(value, places: int, pg: bool):
    """Plain digits with ``places`` places, as ``format(Decimal, "f")`` writes them."""
    if pg:
        return cast(cast(value, Numeric(38, places)), Text)
    # SQLite keeps a decimal as a double: its digits are counted as a whole number first,
    # as its printf stops at 16 significant digits where Python's goes on
    exact = cast(func.round(value * 10**places), Integer)
    digits = func.abs(exact)
    shown = case((exact < 0, "-"), else_="").op("||")(cast(digits // 10**places, Text))
    if places == 0:
        return shown
    fraction = func.printf(f"%0{places}d", digits % 10**places)
    return shown.op("||")(".").op("||")(fraction)


def _money(field: dict, value, pg: bool):
    """The currency symbol, the sign, thousands by commas and cents rounded half to even,
    as ``MoneyField.display`` writes them."""
    symbol = field.get("currency_symbol", DEFAULT_CURRENCY)
    if pg:
        hundredths = value * 100
        whole = func.floor(hundredths)
        rest = hundredths - whole
        half = literal(Decimal("0.5"))
        up = (rest > half) | ((rest == half) & (func.mod(whole, 2) != 0))
        cents = func.abs(case((up, whole + 1), else_=whole))
        units = func.to_char(func.div(cents, 100), "FM999,999,999,999,999,999,990")
        fraction = func.lpad(cast(func.mod(cents, 100), Text), 2, "0")
    else:
        places = max(_scale(field), 2)
        step = 10 ** (places - 2)
        exact = func.abs(cast(func.round(value * 10**places), Integer))
        whole, rest = exact // step, exact % step
        up = (rest * 2 > step) | ((rest * 2 == step) & (whole % 2 == 1))
        cents = whole + case((up, 1), else_=0)
        units = func.printf("%,d", cents // 100)
        fraction = func.printf("%02d", cents % 100)
    sign = case((value < 0, "-"), else_="")
    return literal(symbol, Text).op("||")(sign).op("||")(units).op("||")(".").op("||")(fraction)


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


def _choices(field: dict, value, pg: bool):
    """The labels of a list of choices kept as JSON, in their order, joined by commas."""
    labels = _labels(field)
    if pg:
        items = func.json_array_elements_text(value).table_valued("value", with_ordinality="n")
        items = items.render_derived()
        is_list = func.json_typeof(value) == "array"
    else:
        items = func.json_each(value).table_valued("value", "key")
        is_list = func.json_type(value) == "array"
    item = items.c.value
    shown = case(labels, value=item, else_=item) if labels else item
    if pg:
        joined = func.string_agg(shown, aggregate_order_by(literal(", "), items.c.n))
    else:
        joined = func.group_concat(shown, ", ")  # json_each gives the items in their order
    listed = func.coalesce(select(joined).select_from(items).scalar_subquery(), "")
    return case((is_list, listed), else_=literal("", Text))
