"""Child rows with their own fields (e.g. the lines of a disposal order).

Stored in a child table named after the parent's, one row per line with its position.
"""

from __future__ import annotations

from typing import Any

from form_engine.fields.base import FieldError, FieldType

MAX_ROWS = 1000


class SubTableField(FieldType):
    name = "subtable"
    expr_type = None
    ui = "subtable"
    stored = False

    def json_schema(self, field: dict) -> dict:
        from form_engine.fields import field_type

        properties = {f["key"]: field_type(f).json_schema(f) for f in field.get("fields", [])}
        row = {"type": "object", "properties": properties, "additionalProperties": False}
        row["properties"]["id"] = {"type": "integer"}
        required = [f["key"] for f in field.get("fields", []) if f.get("required")]
        if required:
            row["required"] = required
        return {"anyOf": [{"type": "array", "items": row, "maxItems": MAX_ROWS}, {"type": "null"}]}

    def column(self, field: dict) -> None:
        return None

    def storage_kind(self, field: dict) -> str:
        return "subtable"

    def coerce(self, field: dict, value: Any) -> Any:
        from form_engine.fields import field_type

        if value is None:
            return []
        if not isinstance(value, list):
            raise FieldError("Must be a list of rows.")
        rows = []
        for index, row in enumerate(value):
            if not isinstance(row, dict):
                raise FieldError(f"Row {index + 1} must be an object.")
            clean = {}
            for child in field.get("fields", []):
                try:
                    clean[child["key"]] = field_type(child).coerce(child, row.get(child["key"]))
                except FieldError as exc:
                    raise FieldError(f"Row {index + 1}, {child['key']}: {exc}") from None
            rows.append(clean)
        return rows

    def options_check(self, field: dict) -> list[str]:
        children = field.get("fields") or []
        if not children:
            return ["a sub-table needs at least one field"]
        if any(c.get("type") == "subtable" for c in children):
            return ["sub-tables cannot be nested"]
        return []
