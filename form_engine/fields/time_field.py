"""Time of day, without a time zone.

A time of day has no date, so a UTC offset cannot be turned into a time of day in the
tenant's zone (daylight saving depends on the date): a value with an offset (``08:30+08:00``,
``08:30Z``) is refused when it is sent, with a message saying so, never stored.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from sqlalchemy import Column, Time

from form_engine.fields.base import FieldError, FieldType, nullable

_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?")
_OFFSET = re.compile(r"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)", re.IGNORECASE)


class TimeField(FieldType):
    name = "time"
    expr_type = None
    ui = "time"

    def json_schema(self, field: dict) -> dict:
        return nullable({"type": "string", "pattern": r"^[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$"})

    def column(self, field: dict) -> Column:
        return Column(field["key"], Time)

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            value = value.timetz()
        if isinstance(value, time):
            if value.tzinfo is not None:
                raise _offset_error()
            return value
        text = str(value).strip()
        match = _TIME.match(text)
        if match and _OFFSET.fullmatch(text[match.end() :]):
            raise _offset_error()
        if not match or match.end() != len(text):
            raise FieldError("Not a time: use HH:MM.")
        hour, minute, second, fraction = match.groups()
        try:
            return time(
                int(hour), int(minute), int(second or 0), int((fraction or "").ljust(6, "0"))
            )
        except ValueError:
            raise FieldError("Not a time: use HH:MM.") from None

    def dump(self, field: dict, value: Any) -> Any:
        return None if value is None else value.isoformat(timespec="minutes")


def _offset_error() -> FieldError:
    return FieldError("A time of day takes no UTC offset or zone: use HH:MM in local time.")
