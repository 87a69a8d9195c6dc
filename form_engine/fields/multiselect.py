"""Several choices from a list, stored as a JSON array of option values."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column

from form_engine.fields.base import FieldError, label, nullable
from form_engine.fields.select import SelectField, match_option, option_values


class MultiSelectField(SelectField):
    name = "multiselect"
    expr_type = "array"
    ui = "multiselect"

    def json_schema(self, field: dict) -> dict:
        items = {"type": "string", "enum": option_values(field)}
        return nullable({"type": "array", "items": items, "uniqueItems": True})

    def column(self, field: dict) -> Column:
        return Column(field["key"], JSON)

    def storage_kind(self, field: dict) -> str:
        return "choices"

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None or value == "" or value == []:
            return None
        if isinstance(value, str):
            value = [v for v in value.replace("，", ",").split(",") if v.strip()]
        if not isinstance(value, list):
            raise FieldError("Must be a list of options.")
        chosen = []
        for item in value:
            option = match_option(field, item)
            if option not in chosen:
                chosen.append(option)
        return chosen

    def display(self, field: dict, value: Any, locale: str = "zh") -> str:
        if not value:
            return ""
        names = {str(o["value"]): label(o, locale) for o in field.get("options", [])}
        return ", ".join(names.get(v, v) for v in value)
