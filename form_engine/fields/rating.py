"""A rating from 1 to a maximum number of stars (5 by default)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, SmallInteger

from form_engine.fields.base import DIGITS, FieldError, FieldType, nullable


class RatingField(FieldType):
    name = "rating"
    expr_type = "integer"
    ui = "rating"

    def stars(self, field: dict) -> int:
        return int(field.get("max", 5))

    def json_schema(self, field: dict) -> dict:
        return nullable({"type": "integer", "minimum": 0, "maximum": self.stars(field)})

    def column(self, field: dict) -> Column:
        return Column(field["key"], SmallInteger)

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, str) and set(value.strip()) == {"★"}:
            value = len(value.strip())
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and DIGITS.fullmatch(value.strip()):
            number = int(value.strip())
        else:
            raise FieldError("Must be a whole number of stars.")
        if not 0 <= number <= self.stars(field):
            raise FieldError(f"Must be between 0 and {self.stars(field)}.")
        return number

    def options_check(self, field: dict) -> list[str]:
        return [] if 1 <= self.stars(field) <= 10 else ["max must be between 1 and 10"]
