"""Decimal numbers stored exactly (NUMERIC) with a scale; money and percent build on it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Column, Numeric

from form_engine.fields.base import FieldError, FieldType
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
        rounded = number.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
        if rounded != number:
            raise FieldError(f"At most {scale} decimal places.")
        if abs(rounded) >= Decimal(10) ** (self.precision - scale):
            raise FieldError("The number is too large.")
        check_bounds(field, rounded)
        return rounded

    def dump(self, field: dict, value: Any) -> Any:
        return (
            None
            if value is None
            else str(Decimal(value).quantize(Decimal(1).scaleb(-self.scale(field))))
        )

    def display(self, field: dict, value: Any, locale: str = "zh") -> str:
        return "" if value is None else self.dump(field, value)
