"""Fields that point at another row by id: users, departments, other forms' records.

A person may type a name instead of an id (Excel cells do); such a value is kept as
``Unresolved`` for the records layer, which looks names up and checks that every id
exists in the tenant, in one query per field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Column

from form_engine.fields.base import DIGITS, FieldError, FieldType, nullable


@dataclass(frozen=True)
class Unresolved:
    text: str


class ReferenceField(FieldType):
    expr_type = "integer"
    #: what the id points at: "users", "departments" or "form"
    target_kind: str = ""

    def target(self, field: dict) -> str:
        return self.target_kind

    def json_schema(self, field: dict) -> dict:
        return nullable({"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string"}]})

    def column(self, field: dict) -> Column:
        return Column(field["key"], BigInteger, index=True)

    def storage_kind(self, field: dict) -> str:
        return f"ref:{self.target(field)}"

    def coerce(self, field: dict, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise FieldError("Must be an id or a name.")
        if isinstance(value, int):
            if value < 1:
                raise FieldError("Must be a positive id.")
            return value
        if isinstance(value, dict) and isinstance(value.get("id"), int):
            return self.coerce(field, value["id"])
        if isinstance(value, str):
            text = value.strip()
            return int(text) if DIGITS.fullmatch(text) else Unresolved(text)
        raise FieldError("Must be an id or a name.")
