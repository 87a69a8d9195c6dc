"""Dates (expiry dates are dates, not times)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Date

from form_engine.fields.base import SLOW, FieldError, FieldType, nullable


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip().replace("/", "-").replace(".", "-")
        try:
            return date.fromisoformat(text[:10] if len(text) > 10 and "T" in text else text)
        except ValueError:
            pass
        for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y年%m月%d日"):
            try:
                return datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    raise FieldError("Not a date: use YYYY-MM-DD.")


class DateField(FieldType):
    name = "date"
    expr_type = "date"
    ui = "date"

    def json_schema(self, field: dict) -> dict:
        return nullable({"type": "string", "format": "date"})

    def column(self, field: dict) -> Column:
        return Column(field["key"], Date)

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None or value == "":
            return None
        return parse_date(value)

    def quick_column(self, field: dict, values: list) -> list:
        return [v if type(v) is date else SLOW for v in values]

    def dump(self, field: dict, value: Any) -> Any:
        return None if value is None else value.isoformat()
