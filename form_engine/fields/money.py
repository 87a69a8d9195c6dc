"""Money: NUMERIC(18,4), never float; shown with a currency symbol."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from form_engine.fields.decimal_number import DecimalField


class MoneyField(DecimalField):
    name = "money"
    ui = "money"
    default_scale = 4

    def display(self, field: dict, value: Any, locale: str = "zh") -> str:
        if value is None:
            return ""
        symbol = field.get("currency_symbol", "¥")
        return f"{symbol}{Decimal(value).quantize(Decimal('0.01')):,}"
