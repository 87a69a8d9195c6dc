"""Rich text: HTML kept only after sanitising (no scripts, handlers or foreign tags)."""

from __future__ import annotations

from typing import Any

import nh3

from form_engine.fields.base import FieldError, no_nul
from form_engine.fields.textarea import TextAreaField


class RichTextField(TextAreaField):
    name = "richtext"
    ui = "richtext"
    default_max = 200000

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise FieldError("Must be HTML text.")
        clean = nh3.clean(no_nul(value))
        return clean if clean.strip() else None

    def display(self, field: dict, value: Any, locale: str = "zh") -> str:
        return "" if value is None else nh3.clean(value, tags=set()).strip()
