"""Phone numbers: digits with an optional + and separators."""

from __future__ import annotations

import re
from typing import Any

from form_engine.fields.base import FieldError, nullable
from form_engine.fields.text import TextField

PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")


class PhoneField(TextField):
    name = "phone"
    ui = "phone"
    default_max = 32

    def json_schema(self, field: dict) -> dict:
        return nullable({"type": "string", "pattern": PHONE.pattern})

    def coerce(self, field: dict, value: Any) -> Any:
        text = super().coerce(field, value)
        if text is not None and not PHONE.match(text):
            raise FieldError("Not a phone number.")
        return text
