"""Multi-line text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Text

from form_engine.fields.base import FieldError, no_nul
from form_engine.fields.text import TextField


class TextAreaField(TextField):
    name = "textarea"
    ui = "textarea"
    default_max = 10000

    def column(self, field: dict) -> Column:
        return Column(field["key"], Text)

    def storage_kind(self, field: dict) -> str:
        return "text"

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise FieldError("Must be text.")
        return no_nul(value) if value.strip() else None
