"""Form metadata: its own JSON Schema, and the checks a schema alone cannot express.

A form's metadata is the one description of a form: the table, the validation, the API
and the UI are all compiled from it. ``validate_metadata`` returns problems keyed by a
path into the metadata (``fields.2.options``) so the designer can point at them.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from engine_errors import ValidationError
from form_engine.fields import FIELD_TYPES, field_type

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
RESERVED = frozenset(
    {
        "id",
        "tenant_id",
        "created_by",
        "created_at",
        "updated_at",
        "row_version",
        "form_version",
        "flow_instance_id",
        "deleted_at",
        "owner_department_id",
        "parent_id",
        "position",
    }
)
LINKAGE = ("visible_if", "required_if", "formula")

_label = {
    "anyOf": [
        {"type": "string", "minLength": 1, "maxLength": 200},
        {
            "type": "object",
            "properties": {
                "zh": {"type": "string", "maxLength": 200},
                "en": {"type": "string", "maxLength": 200},
            },
            "minProperties": 1,
            "additionalProperties": False,
        },
    ]
}
_field = {
    "type": "object",
    "required": ["key", "type", "label"],
    "properties": {
        "key": {"type": "string", "pattern": KEY_PATTERN},
        "type": {"enum": sorted(FIELD_TYPES)},
        "label": _label,
        "help": _label,
        "placeholder": _label,
        "required": {"type": "boolean"},
        "indexed": {"type": "boolean"},
        "unique": {"type": "boolean"},
        "removed": {"type": "boolean"},
        "default": {},
        "options": {
            "type": "array",
            "maxItems": 500,
            "items": {
                "type": "object",
                "required": ["value"],
                "properties": {
                    "value": {"type": ["string", "integer"]},
                    "label": _label,
                    "color": {"type": "string", "maxLength": 32},
                },
                "additionalProperties": False,
            },
        },
        "validations": {
            "type": "object",
            "properties": {
                "min": {"type": "number"},
                "max": {"type": "number"},
                "min_length": {"type": "integer", "minimum": 0},
                "max_length": {"type": "integer", "minimum": 1, "maximum": 100000},
                "pattern": {"type": "string", "maxLength": 500},
                "scale": {"type": "integer", "minimum": 0, "maximum": 8},
            },
            "additionalProperties": False,
        },
        "relation": {
            "type": "object",
            "properties": {
                "form": {"type": "string", "pattern": KEY_PATTERN},
                "display": {"type": "string", "pattern": KEY_PATTERN},
            },
            "additionalProperties": False,
        },
        "fields": {"type": "array", "maxItems": 100, "items": {"$ref": "#/$defs/field"}},
        "pattern": {"type": "string", "maxLength": 64},
        "formula": {"type": ["object", "array"]},
        "result_type": {"enum": ["integer", "decimal", "string", "boolean", "date"]},
        "visible_if": {"type": ["object", "boolean"]},
        "required_if": {"type": ["object", "boolean"]},
        "accept": {"type": "array", "items": {"type": "string", "maxLength": 100}},
        "max_size_mb": {"type": "number", "exclusiveMinimum": 0, "maximum": 1024},
        "max_files": {"type": "integer", "minimum": 1, "maximum": 100},
        "max": {"type": "integer"},
        "currency_symbol": {"type": "string", "maxLength": 4},
        "width": {"type": "integer", "minimum": 1, "maximum": 24},
    },
    "additionalProperties": False,
}
META_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {"field": _field},
    "type": "object",
    "required": ["fields"],
    "properties": {
        "fields": {
            "type": "array",
            "minItems": 1,
            "maxItems": 300,
            "items": {"$ref": "#/$defs/field"},
        },
        "title_field": {"type": "string", "pattern": KEY_PATTERN},
        "layout": {"type": "object"},
    },
    "additionalProperties": False,
}
_validator = Draft202012Validator(META_SCHEMA)


def _path(parts) -> str:
    return ".".join(str(p) for p in parts) or "_body"


def expression_fields(fields: list[dict]) -> dict[str, str]:
    """The fields an expression on this form may name, with their expression types."""
    types = {}
    for f in fields:
        kind = field_type(f).expression_type(f)
        if kind is not None and not f.get("removed"):
            types[f["key"]] = kind
    return types


def _check_fields(fields: list[dict], prefix: str, problems: dict[str, list[str]]) -> None:
    seen: set[str] = set()
    for index, f in enumerate(fields):
        path = f"{prefix}{index}"
        if f["key"] in seen:
            problems.setdefault(f"{path}.key", []).append(f"'{f['key']}' is used twice.")
        if f["key"] in RESERVED:
            problems.setdefault(f"{path}.key", []).append(f"'{f['key']}' is reserved.")
        seen.add(f["key"])
        for problem in field_type(f).options_check(f):
            problems.setdefault(path, []).append(problem)
        if f["type"] == "subtable":
            _check_fields(f.get("fields", []), f"{path}.fields.", problems)


def _check_expressions(fields: list[dict], problems: dict[str, list[str]]) -> None:
    if not any(key in f for f in fields for key in LINKAGE):
        return
    from form_engine import expr

    names = expression_fields(fields)
    for index, f in enumerate(fields):
        for key in LINKAGE:
            if key not in f or isinstance(f[key], bool):
                continue
            try:
                result = expr.check(f[key], names)
            except ValidationError as exc:
                for where, msgs in (exc.errors or {"": [exc.message]}).items():
                    target = f"fields.{index}.{key}" + (f".{where}" if where else "")
                    problems.setdefault(target, []).extend(msgs)
                continue
            if key != "formula" and result != "boolean":
                problems.setdefault(f"fields.{index}.{key}", []).append(
                    f"must be a condition (true/false), not {result}"
                )


def validate_metadata(meta: Any) -> dict:
    """Check a form's metadata; raise ValidationError listing every problem by path."""
    problems: dict[str, list[str]] = {}
    for error in _validator.iter_errors(meta):
        problems.setdefault(_path(error.absolute_path), []).append(error.message)
    if problems:
        raise ValidationError("The form definition is not valid.", problems)
    _check_fields(meta["fields"], "fields.", problems)
    if not problems:
        _check_expressions(meta["fields"], problems)
    title = meta.get("title_field")
    if title and title not in {f["key"] for f in meta["fields"]}:
        problems.setdefault("title_field", []).append(f"No field '{title}'.")
    if problems:
        raise ValidationError("The form definition is not valid.", problems)
    return meta
