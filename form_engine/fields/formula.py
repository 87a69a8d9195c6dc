"""A value computed from other fields with the expression language and stored for queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Date, Numeric, String

from form_engine.fields.base import FieldType, nullable

COLUMNS = {
    "integer": lambda key: Column(key, BigInteger),
    "decimal": lambda key: Column(key, Numeric(18, 6)),
    "string": lambda key: Column(key, String(1000)),
    "boolean": lambda key: Column(key, Boolean),
    "date": lambda key: Column(key, Date),
}
SCHEMAS = {
    "integer": {"type": "integer"},
    "decimal": {"type": ["number", "string"]},
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string"},
}


class FormulaField(FieldType):
    name = "formula"
    ui = "formula"
    computed = True

    def result_type(self, field: dict) -> str:
        return field.get("result_type", "decimal")

    def expression_type(self, field: dict) -> str | None:
        return self.result_type(field)

    def json_schema(self, field: dict) -> dict:
        return nullable(SCHEMAS.get(self.result_type(field), {}))

    def column(self, field: dict) -> Column:
        return COLUMNS.get(self.result_type(field), COLUMNS["decimal"])(field["key"])

    def storage_kind(self, field: dict) -> str:
        return f"formula:{self.result_type(field)}"

    def coerce(self, field: dict, value: Any) -> Any:
        return None  # computed on every write

    def dump(self, field: dict, value: Any) -> Any:
        if value is None:
            return None
        if self.result_type(field) == "decimal":
            return str(value)
        if self.result_type(field) == "date":
            return value.isoformat()
        return value

    def options_check(self, field: dict) -> list[str]:
        problems = []
        if not isinstance(field.get("formula"), dict | list):
            problems.append("formula must be an expression")
        if self.result_type(field) not in COLUMNS:
            problems.append(f"result_type must be one of {sorted(COLUMNS)}")
        return problems
