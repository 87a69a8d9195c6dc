"""Integers, with optional min and max."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger, Column

from form_engine.fields.base import SLOW, FieldError, FieldType, nullable

INT_LIMIT = 2**53 - 1  # what the browser can hold exactly
MAX_DIGITS = 40  # no field holds a number with more digits before the point


def bounds(field: dict, schema: dict) -> dict:
    rules = field.get("validations", {})
    if "min" in rules:
        schema["minimum"] = rules["min"]
    if "max" in rules:
        schema["maximum"] = rules["max"]
    return schema


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise FieldError("Must be a number.")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", "")
    if not text.isascii() or "_" in text:
        # Decimal() also reads other scripts' digits and 1_000; a browser reads neither.
        raise FieldError("Must be a number.")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise FieldError("Must be a number.") from None
    if not number.is_finite():
        raise FieldError("Must be a finite number.")
    if number.adjusted() > MAX_DIGITS:
        raise FieldError("The number is too large.")  # before arithmetic that would overflow
    return number


def check_bounds(field: dict, number) -> None:
    rules = field.get("validations", {})
    if "min" in rules and number < Decimal(str(rules["min"])):
        raise FieldError(f"Must be at least {rules['min']}.")
    if "max" in rules and number > Decimal(str(rules["max"])):
        raise FieldError(f"Must be at most {rules['max']}.")


class IntegerField(FieldType):
    name = "integer"
    expr_type = "integer"
    ui = "number"

    def json_schema(self, field: dict) -> dict:
        return nullable(
            bounds(field, {"type": "integer", "minimum": -INT_LIMIT, "maximum": INT_LIMIT})
        )

    def column(self, field: dict) -> Column:
        return Column(field["key"], BigInteger)

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None or value == "":
            return None
        number = parse_decimal(value)
        if number != number.to_integral_value():
            raise FieldError("Must be a whole number.")
        if abs(number) > INT_LIMIT:
            raise FieldError("The number is too large.")
        check_bounds(field, number)
        return int(number)

    def quick_column(self, field: dict, values: list) -> list:
        """Python ints within the limits are taken as they are (as ``coerce`` returns them)."""
        rules = field.get("validations", {})
        low = max(-INT_LIMIT, Decimal(str(rules["min"]))) if "min" in rules else -INT_LIMIT
        high = min(INT_LIMIT, Decimal(str(rules["max"]))) if "max" in rules else INT_LIMIT
        return [v if type(v) is int and low <= v <= high else SLOW for v in values]
