"""Single choice from a list of options (drop-down)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, String

from form_engine.fields.base import FieldError, FieldType, label, nullable


def option_values(field: dict) -> list[str]:
    return [str(o["value"]) for o in field.get("options", [])]


def match_option(field: dict, value: Any) -> str:
    """The option for a stored value or a label a person typed (Excel uses labels)."""
    text = str(value).strip()
    for option in field.get("options", []):
        labels = option.get("label") or {}
        names = labels.values() if isinstance(labels, dict) else [labels]
        if text == str(option["value"]) or text in names:
            return str(option["value"])
    raise FieldError(f"'{text}' is not one of the options.")


class SelectField(FieldType):
    name = "select"
    ui = "select"

    def json_schema(self, field: dict) -> dict:
        return nullable({"type": "string", "enum": option_values(field)})

    def column(self, field: dict) -> Column:
        return Column(field["key"], String(128))

    def storage_kind(self, field: dict) -> str:
        return "choice"

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None or value == "":
            return None
        return match_option(field, value)

    def display(self, field: dict, value: Any, locale: str = "zh") -> str:
        for option in field.get("options", []):
            if str(option["value"]) == value:
                return label(option, locale) if option.get("label") else value
        return "" if value is None else str(value)

    def options_check(self, field: dict) -> list[str]:
        values = option_values(field)
        if not values:
            return ["needs at least one option"]
        if len(set(values)) != len(values):
            return ["option values must be unique"]
        return []
