"""Runtime values of the expression language: numbers, dates and data coercion.

The rules that Python, SQL and the browser must share live here once for Python: how a
number literal is read, how decimals are rounded for comparison and division, which text
is a date. Nothing here raises on bad data: a value that cannot be read is null.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

FIELD_TYPES = ("string", "integer", "decimal", "boolean", "date", "datetime", "array")

COMPARE_PLACES = 6  # decimals are equal when equal after rounding to this many places
DIVIDE_PLACES = 10  # a quotient keeps this many places (half away from zero)
DECIMALS = Context(prec=60, rounding=ROUND_HALF_UP)

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATETIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?"
)


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD`` as a date, or None when the text is not exactly such a date."""
    match = _DATE.fullmatch(text)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_datetime(text: str) -> datetime | None:
    """``YYYY-MM-DDTHH:MM[:SS[.ffffff]]`` (or a space for T), no time zone; else None."""
    match = _DATETIME.fullmatch(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction = match.groups()
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second or 0),
            int((fraction or "").ljust(6, "0")),
        )
    except ValueError:
        return None


def number(value: float | int) -> int | Decimal:
    """A JSON number: an integer when it has no fractional part, otherwise a decimal.

    Browsers cannot tell ``2.0`` from ``2``, so neither can we.
    """
    if isinstance(value, int):
        return value
    if value.is_integer():
        return int(value)
    return Decimal(repr(value))


def rounded(value: Decimal | int, places: int) -> Decimal | int:
    """``value`` rounded half away from zero; integers and huge values are already exact."""
    if isinstance(value, int) or value.adjusted() >= 40:
        return value
    return value.quantize(Decimal(1).scaleb(-places), context=DECIMALS)


def divide(left: int | Decimal, right: int | Decimal) -> Decimal | None:
    if right == 0:
        return None
    try:
        return rounded(DECIMALS.divide(Decimal(left), Decimal(right)), DIVIDE_PLACES)
    except (ArithmeticError, InvalidOperation):
        return None


def add_days(day: date, days: int) -> date | None:
    """``day`` moved by ``days``; None outside the years 1-9999."""
    try:
        return day + timedelta(days=days)
    except (OverflowError, ValueError):
        return None


def normalise(value: Any) -> Any:
    """A data value as the interpreter holds it, when no field type is known."""
    if isinstance(value, float):
        return number(value) if value == value and abs(value) != float("inf") else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, tuple):
        return list(value)
    return value


def coerce(value: Any, field_type: str) -> Any:
    """A data value read as ``field_type``; None when it cannot be read as that type."""
    value = normalise(value)
    if value is None or (value == "" and field_type != "string"):
        return None
    reader = _READERS.get(field_type)
    return reader(value) if reader else value


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value):
        return int(value)
    return None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, str):
        try:
            parsed = Decimal(value)
        except InvalidOperation:
            return None
        return parsed if parsed.is_finite() else None
    return None


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(value) if isinstance(value, str) else None


def _datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return parse_datetime(value) if isinstance(value, str) else None


def _array(value: Any) -> list | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, list):
        return None
    return [item for item in value if isinstance(item, str)]


_READERS = {
    "string": _string,
    "integer": _integer,
    "decimal": _decimal,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
    "array": _array,
}
