"""Percentages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from form_engine.fields.decimal_number import DecimalField


class PercentField(DecimalField):
    """Stored as the percentage number: 35.5 means 35.5 %."""

    name = "percent"
    ui = "percent"
    precision = 9
    default_scale = 4

    def display(self, field: dict, value: Any, locale: str = "zh") -> str:
        return "" if value is None else f"{Decimal(value).normalize():f}%"
