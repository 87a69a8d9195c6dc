"""Child rows with their own fields (e.g. the lines of a disposal order).

Stored in a child table named after the parent's, one row per line with its position.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from form_engine.fields.base import FieldError, FieldType, schema_message
from form_engine.fields.reference import Unresolved

MAX_ROWS = 1000


@lru_cache(maxsize=512)
def _compiled(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json))


def _validator(child: dict) -> Draft202012Validator:
    """The child field's JSON Schema, compiled once per distinct definition."""
    from form_engine.fields import field_type

    return _compiled(json.dumps(field_type(child).json_schema(child), sort_keys=True))


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
        """Rows with every child coerced and checked; problems as "row.child" paths."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise FieldError("Must be a list of rows.")
        if len(value) > MAX_ROWS:
            raise FieldError(f"At most {MAX_ROWS} rows.")
        children = [c for c in field.get("fields", []) if not c.get("removed")]
        rows, problems = [], {}
        for index, row in enumerate(value):
            if not isinstance(row, dict):
                problems[str(index)] = ["Must be an object."]
                continue
            rows.append(self._row(children, row, index, problems))
        if problems:
            raise FieldError("Some rows are not valid.", problems)
        return rows

    @staticmethod
    def _row(children: list[dict], row: dict, index: int, problems: dict) -> dict:
        from form_engine.fields import field_type

        known = {c["key"] for c in children} | {"id"}
        for key in row.keys() - known:
            problems[f"{index}.{key}"] = ["Unknown field."]
        clean = {}
        for child in children:
            path = f"{index}.{child['key']}"
            kind = field_type(child)
            try:
                value = kind.coerce(child, row.get(child["key"]))
            except FieldError as exc:
                problems[path] = [str(exc)]
                continue
            if value in (None, "", []) and child.get("required"):
                problems[path] = ["This field is required."]
                continue
            if isinstance(value, Unresolved):
                clean[child["key"]] = value  # a name: the records layer looks it up
                continue
            dumped = kind.dump(child, value)
            messages = [schema_message(e) for e in _validator(child).iter_errors(dumped)]
            if messages:
                problems[path] = messages
            clean[child["key"]] = value
        return clean

    def options_check(self, field: dict) -> list[str]:
        children = field.get("fields") or []
        if not children:
            return ["a sub-table needs at least one field"]
        if any(c.get("type") == "subtable" for c in children):
            return ["sub-tables cannot be nested"]
        return []
