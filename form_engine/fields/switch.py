"""Yes / no."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column

from form_engine.fields.base import FieldError, FieldType, nullable

TRUE = {"true", "1", "yes", "y", "是", "对", "✓", "on"}
FALSE = {"false", "0", "no", "n", "否", "不", "✗", "off"}


class SwitchField(FieldType):
    name = "switch"
    expr_type = "boolean"
    ui = "switch"

    def json_schema(self, field: dict) -> dict:
        return nullable({"type": "boolean"})

    def column(self, field: dict) -> Column:
        return Column(field["key"], Boolean)

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise FieldError("Must be yes or no.")

    def display(self, field: dict, value: Any, locale: str = "zh") -> str:
        if value is None:
            return ""
        return ("是" if value else "否") if locale == "zh" else ("Yes" if value else "No")
