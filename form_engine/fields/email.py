"""Email addresses."""

from __future__ import annotations

import re
from typing import Any

from form_engine.fields.base import FieldError, nullable
from form_engine.fields.text import TextField

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class EmailField(TextField):
    name = "email"
    ui = "email"
    default_max = 254

    def json_schema(self, field: dict) -> dict:
        return nullable({"type": "string", "pattern": EMAIL.pattern, "maxLength": 254})

    def coerce(self, field: dict, value: Any) -> Any:
        text = super().coerce(field, value)
        if text is not None and not EMAIL.match(text):
            raise FieldError("Not an email address.")
        return text
