"""Date and time, stored in UTC; input without a zone is read as UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, DateTime

from form_engine.fields.base import FieldError, FieldType, nullable


def parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise FieldError("Not a date and time: use ISO 8601.") from None
    else:
        raise FieldError("Not a date and time: use ISO 8601.")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class DateTimeField(FieldType):
    name = "datetime"
    expr_type = "datetime"
    ui = "datetime"

    def json_schema(self, field: dict) -> dict:
        return nullable({"type": "string", "format": "date-time"})

    def column(self, field: dict) -> Column:
        return Column(field["key"], DateTime(timezone=True))

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None or value == "":
            return None
        return parse_datetime(value)

    def dump(self, field: dict, value: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
