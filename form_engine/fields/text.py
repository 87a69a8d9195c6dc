"""Single-line text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, String

from form_engine.fields.base import SLOW, FieldError, FieldType, no_nul, nullable


class TextField(FieldType):
    name = "text"
    ui = "input"
    default_max = 255

    def max_length(self, field: dict) -> int:
        return int(field.get("validations", {}).get("max_length", self.default_max))

    def json_schema(self, field: dict) -> dict:
        rules = field.get("validations", {})
        schema: dict = {"type": "string", "maxLength": self.max_length(field)}
        if "min_length" in rules:
            schema["minLength"] = int(rules["min_length"])
        if "pattern" in rules:
            schema["pattern"] = rules["pattern"]
        return nullable(schema)

    def column(self, field: dict) -> Column:
        return Column(field["key"], String(max(self.max_length(field), 1)))

    def storage_kind(self, field: dict) -> str:
        return "string"

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise FieldError("Must be text.")
        text = no_nul(str(value)).strip()
        return text or None

    def quick_column(self, field: dict, values: list) -> list | None:
        if type(self).coerce is not TextField.coerce:
            return None  # a kind of text with its own rules (email, phone)
        return [(v.strip() or None) if type(v) is str and "\x00" not in v else SLOW for v in values]
