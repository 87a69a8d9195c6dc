"""Where SQLite and PostgreSQL differ in writing a stored value as message text
(``form_engine.value_text``): fixed places, money, dates and lists of choices. Mixed into
the dialect rules of ``sql_dialects``, so each dialect's differences are looked up in one
place. Every expression gives the text Python's ``value_text`` gives for the same value.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ColumnElement, Integer, Numeric, Text, case, cast, func, literal
from sqlalchemy.dialects.postgresql import aggregate_order_by


class SQLiteText:
    """SQLite keeps a decimal as a double and dates as ISO text; its printf stops at 16
    significant digits where Python's goes on, so digits are counted as whole numbers."""

    def fixed_text(self, value: ColumnElement, places: int) -> ColumnElement:
        """Plain digits with ``places`` places, as ``format(Decimal, "f")`` writes them."""
        exact = cast(func.round(value * 10**places), Integer)
        digits = func.abs(exact)
        shown = case((exact < 0, "-"), else_="").op("||")(cast(digits // 10**places, Text))
        if places == 0:
            return shown
        fraction = func.printf(f"%0{places}d", digits % 10**places)
        return shown.op("||")(".").op("||")(fraction)

    def money_text(self, value: ColumnElement, places: int) -> tuple[ColumnElement, ...]:
        """The units with thousands by commas and the cents (rounded half to even) of the
        absolute amount."""
        places = max(places, 2)
        step = 10 ** (places - 2)
        exact = func.abs(cast(func.round(value * 10**places), Integer))
        whole, rest = exact // step, exact % step
        up = (rest * 2 > step) | ((rest * 2 == step) & (whole % 2 == 1))
        cents = whole + case((up, 1), else_=0)
        return func.printf("%,d", cents // 100), func.printf("%02d", cents % 100)

    def day_text(self, value: ColumnElement) -> ColumnElement:
        return func.substr(cast(value, Text), 1, 10)

    def moment_text(self, value: ColumnElement) -> ColumnElement:
        """A date and time (stored in UTC) to the second."""
        return func.substr(cast(value, Text), 1, 19)

    def clock_text(self, value: ColumnElement) -> ColumnElement:
        return func.substr(cast(value, Text), 1, 8)

    def list_items(self, value: ColumnElement):
        """The items of a JSON list, in their order, and whether ``value`` is a list."""
        return func.json_each(value).table_valued("value", "key"), func.json_type(value) == "array"

    def joined(self, shown: ColumnElement, items) -> ColumnElement:
        return func.group_concat(shown, ", ")  # json_each gives the items in their order


class PostgreSQLText:
    """PostgreSQL rounds and formats in NUMERIC, so no digit is lost."""

    def fixed_text(self, value: ColumnElement, places: int) -> ColumnElement:
        return cast(cast(value, Numeric(38, places)), Text)

    def money_text(self, value: ColumnElement, places: int) -> tuple[ColumnElement, ...]:
        hundredths = value * 100
        whole = func.floor(hundredths)
        rest = hundredths - whole
        half = literal(Decimal("0.5"))
        up = (rest > half) | ((rest == half) & (func.mod(whole, 2) != 0))
        cents = func.abs(case((up, whole + 1), else_=whole))
        units = func.to_char(func.div(cents, 100), "FM999,999,999,999,999,999,990")
        return units, func.lpad(cast(func.mod(cents, 100), Text), 2, "0")

    def day_text(self, value: ColumnElement) -> ColumnElement:
        return func.to_char(value, "YYYY-MM-DD")

    def moment_text(self, value: ColumnElement) -> ColumnElement:
        return func.to_char(func.timezone("UTC", value), "YYYY-MM-DD HH24:MI:SS")

    def clock_text(self, value: ColumnElement) -> ColumnElement:
        return func.to_char(value, "HH24:MI:SS")

    def list_items(self, value: ColumnElement):
        items = func.json_array_elements_text(value).table_valued("value", with_ordinality="n")
        return items.render_derived(), func.json_typeof(value) == "array"

    def joined(self, shown: ColumnElement, items) -> ColumnElement:
        return func.string_agg(shown, aggregate_order_by(literal(", "), items.c.n))
