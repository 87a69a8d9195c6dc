"""Time of day."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import Column, Time

from form_engine.fields.base import FieldError, FieldType, nullable


class TimeField(FieldType):
    name = "time"
    expr_type = None
    ui = "time"

    def json_schema(self, field: dict) -> dict:
        return nullable({"type": "string", "pattern": r"^\d{1,2}:\d{2}(:\d{2})?$"})

    def column(self, field: dict) -> Column:
        return Column(field["key"], Time)

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, time):
            return value
        if isinstance(value, datetime):
            return value.time()
        try:
            return time.fromisoformat(str(value).strip().zfill(5))
        except ValueError:
            raise FieldError("Not a time: use HH:MM.") from None

    def dump(self, field: dict, value: Any) -> Any:
        return None if value is None else value.isoformat(timespec="minutes")
