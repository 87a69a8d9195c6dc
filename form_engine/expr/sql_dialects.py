"""Where SQLite and PostgreSQL differ for the SQL the engine compiles: expressions here,
message text of stored values in ``sql_text`` (mixed in).

Each dialect class turns one language rule into SQL that gives the Python interpreter's
answer: decimals rounded half away from zero, dates as whole days, text compared by code
point, multi-selects as JSON arrays. None of these expressions may fail at run time on
data of the declared types; values only ever travel as bound parameters.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Float,
    Integer,
    Numeric,
    String,
    and_,
    case,
    cast,
    collate,
    exists,
    func,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB

from form_engine.expr import values
from form_engine.expr.sql_text import PostgreSQLText, SQLiteText

_FIRST_DAY = date(1, 1, 1)
_LAST_DAY = date(9999, 12, 31)


class SQLiteRules(SQLiteText):
    """SQLite keeps decimals as floats, dates as ISO text and multi-selects as JSON text."""

    def rounded(self, expr: ColumnElement, places: int) -> ColumnElement:
        return func.round(expr, places)

    def exact_text(self, expr: ColumnElement) -> ColumnElement:
        """Text compared by code point, whatever collation its column was declared with."""
        return collate(expr, "BINARY")

    def divide(self, left: ColumnElement, right: ColumnElement) -> ColumnElement:
        quotient = cast(left, Float) / func.nullif(right, 0)
        return func.round(quotient, values.DIVIDE_PLACES)

    def whole(self, expr: ColumnElement) -> ColumnElement:
        """An operand of integer arithmetic (SQLite integers are already 64-bit)."""
        return expr

    def day_number(self, expr: ColumnElement, is_datetime: bool) -> ColumnElement:
        """A date as a count of days, so that date arithmetic is plain arithmetic."""
        # The date part of the stored text: date() would round 23:59:59.9999 up a day.
        return func.julianday(func.substr(expr, 1, 10) if is_datetime else expr)

    def days_between(self, later: ColumnElement, earlier: ColumnElement) -> ColumnElement:
        return cast(later - earlier, BigInteger)

    def add_days(self, day: ColumnElement, days: ColumnElement) -> ColumnElement:
        moved = day + days
        first, last = (func.julianday(d.isoformat()) for d in (_FIRST_DAY, _LAST_DAY))
        return case((moved.between(first, last), func.date(moved)), else_=null())

    def contains_text(self, haystack: ColumnElement, needle: ColumnElement) -> ColumnElement:
        return func.instr(haystack, needle) > 0

    def array(self, expr: ColumnElement) -> ColumnElement:
        return expr

    def json_text(self, text: ColumnElement) -> ColumnElement:
        return text

    def array_nonempty(self, array: ColumnElement) -> ColumnElement:
        return and_(func.json_type(array) == "array", func.json_array_length(array) > 0)

    def array_contains(self, array: ColumnElement, needle: ColumnElement) -> ColumnElement:
        items = func.json_each(array).table_valued("value")
        found = exists(select(literal(1)).select_from(items).where(items.c.value == needle))
        return and_(func.json_type(array) == "array", found)

    def array_holds_id(self, array: ColumnElement, ident: int) -> ColumnElement:
        """A list of ids, or of objects with an ``id`` (file facts), that holds ``ident``."""
        items = func.json_each(array).table_valued("value")
        match = or_(func.json_extract(items.c.value, "$.id") == ident, items.c.value == ident)
        return exists(select(literal(1)).select_from(items).where(match))


class PostgreSQLRules(PostgreSQLText):
    """PostgreSQL computes in NUMERIC (no overflow), DATE arithmetic and JSONB."""

    def rounded(self, expr: ColumnElement, places: int) -> ColumnElement:
        return func.round(cast(expr, Numeric), places)

    def exact_text(self, expr: ColumnElement) -> ColumnElement:
        """Text compared by code point (UTF-8 bytes), whatever the column's collation."""
        return collate(expr, "C")

    def divide(self, left: ColumnElement, right: ColumnElement) -> ColumnElement:
        quotient = cast(left, Numeric) / func.nullif(cast(right, Numeric), 0)
        return func.round(quotient, values.DIVIDE_PLACES)

    def whole(self, expr: ColumnElement) -> ColumnElement:
        """An operand of integer arithmetic, widened so that no product overflows."""
        return cast(expr, Numeric)

    def day_number(self, expr: ColumnElement, is_datetime: bool) -> ColumnElement:
        """A date as days since 0001-01-01."""
        day = cast(expr, Date) if is_datetime else expr
        return day - literal(_FIRST_DAY, Date)

    def days_between(self, later: ColumnElement, earlier: ColumnElement) -> ColumnElement:
        return later - earlier

    def add_days(self, day: ColumnElement, days: ColumnElement) -> ColumnElement:
        # Clamped before the cast, so that no value (not even a folded constant) overflows.
        moved = day + cast(days, Numeric)
        span = (_LAST_DAY - _FIRST_DAY).days
        safe = cast(func.least(func.greatest(moved, 0), span), Integer)
        return case((moved.between(0, span), literal(_FIRST_DAY, Date) + safe), else_=null())

    def contains_text(self, haystack: ColumnElement, needle: ColumnElement) -> ColumnElement:
        return func.strpos(haystack, needle) > 0

    def array(self, expr: ColumnElement) -> ColumnElement:
        return cast(expr, JSONB)

    def json_text(self, text: ColumnElement) -> ColumnElement:
        return cast(text, JSONB)

    def array_nonempty(self, array: ColumnElement) -> ColumnElement:
        empty = cast(literal("[]", String), JSONB)
        return and_(func.jsonb_typeof(array) == "array", array != empty)

    def array_contains(self, array: ColumnElement, needle: ColumnElement) -> ColumnElement:
        return and_(needle.is_not(None), array.op("@>")(func.jsonb_build_array(needle)))

    def array_holds_id(self, array: ColumnElement, ident: int) -> ColumnElement:
        """A list of ids, or of objects with an ``id`` (file facts), that holds ``ident``."""
        as_id = func.jsonb_build_array(ident)
        as_object = func.jsonb_build_array(func.jsonb_build_object("id", ident))
        return or_(array.op("@>")(as_id), array.op("@>")(as_object))


RULES = {"sqlite": SQLiteRules(), "postgresql": PostgreSQLRules()}
