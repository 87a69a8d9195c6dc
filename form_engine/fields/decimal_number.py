"""Decimal numbers stored exactly (NUMERIC) with a scale; money and percent build on it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Column, Numeric

from form_engine.fields.base import SLOW, FieldError, FieldType
from form_engine.fields.number import bounds, check_bounds, parse_decimal


class DecimalField(FieldType):
    name = "decimal"
    expr_type = "decimal"
    ui = "number"
    precision = 18
    default_scale = 6

    def scale(self, field: dict) -> int:
        return int(field.get("validations", {}).get("scale", self.default_scale))

    def json_schema(self, field: dict) -> dict:
        # Decimals travel as strings or numbers; strings keep every digit.
        number = bounds(field, {"type": "number"})
        text = {"type": "string", "pattern": r"^-?[0-9][0-9,]*(\.[0-9]+)?$"}
        return {"anyOf": [number, text, {"type": "null"}]}

    def column(self, field: dict) -> Column:
        return Column(field["key"], Numeric(self.precision, self.scale(field), asdecimal=True))

    def storage_kind(self, field: dict) -> str:
        return "numeric"

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None or value == "":
            return None
        number = parse_decimal(value)
        scale = self.scale(field)
        if abs(number) >= Decimal(10) ** (self.precision - scale):
            raise FieldError("The number is too large.")  # also: quantize would overflow
        rounded = number.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
        if rounded != number:
            raise FieldError(f"At most {scale} decimal places.")
        check_bounds(field, rounded)
        return rounded

    def quick_column(self, field: dict, values: list) -> list | None:
        """Floats, ints and plain decimal text that ``coerce`` accepts, without a call each."""
        if type(self).coerce is not DecimalField.coerce:
            return None
        scale = self.scale(field)
        quantum = Decimal(1).scaleb(-scale)
        limit = Decimal(10) ** (self.precision - scale)
        rules = field.get("validations", {})
        low = Decimal(str(rules["min"])) if "min" in rules else -limit
        high = Decimal(str(rules["max"])) if "max" in rules else limit
        out: list = []
        for value in values:
            kind = type(value)
            if kind is float:
                number = Decimal(repr(value))
            elif kind is int:
                number = Decimal(value)
            elif kind is str and value.isascii() and value.replace(".", "", 1).isdigit():
                number = Decimal(value)  # plain digits with at most one point
            else:
                out.append(SLOW)
                continue
            if not number.is_finite() or not -limit < number < limit:
                out.append(SLOW)
                continue
            rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
            out.append(rounded if rounded == number and low <= rounded <= high else SLOW)
        return out

    def dump(self, field: dict, value: Any) -> Any:
        """Plain digits with the field's places: ``str`` would print 0 with 8 places as 0E-8."""
        if value is None:
            return None
        exact = Decimal(value).quantize(Decimal(1).scaleb(-self.scale(field))) + 0
        return format(exact, "f")

    def display(self, field: dict, value: Any, locale: str = "zh") -> str:
        return "" if value is None else self.dump(field, value)
