"""Form metadata: its own JSON Schema, and the checks a schema alone cannot express.

A form's metadata is the one description of a form: the table, the validation, the API
and the UI are all compiled from it. ``validate_metadata`` returns problems keyed by a
path into the metadata (``fields.2.options``) so the designer can point at them.

Besides its fields a form may carry settings that name them: its title field, the field
deciding its records' department and whether everyone reads it (``ownership``), the
quantity it posts to related records (``ledger``) or may not exceed there (``limit``),
and its list's columns (``list_columns``); a field may be filled from a related record
(``lookups``). Their shapes are checked here, their meaning lives in those modules.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from engine_errors import ValidationError
from form_engine import ledger, list_columns, lookups, ownership
from form_engine.fields import FIELD_TYPES, expression_fields, field_type

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
_key = {"type": "string", "pattern": KEY_PATTERN}
_values = {"type": "array", "maxItems": 100, "items": {"type": ["string", "integer"]}}
_options = {
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
        "options": _options,
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
        "default_from": {
            "type": "object",
            "required": ["relation", "field"],
            "properties": {"relation": _key, "field": _key},
            "additionalProperties": False,
        },
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
        "department_field": _key,
        "shared": {"type": "boolean"},
        "ledger": {
            "type": "object",
            "required": ["relation", "quantity", "target", "direction"],
            "properties": {
                "relation": _key,
                "quantity": _key,
                "target": _key,
                "direction": {
                    "anyOf": [
                        {"enum": ["in", "out"]},
                        {
                            "type": "object",
                            "required": ["field"],
                            "properties": {"field": _key, "in": _values, "out": _values},
                            "additionalProperties": False,
                        },
                    ]
                },
                "fefo": {
                    "type": "object",
                    "required": ["order_by", "reason"],
                    "properties": {
                        "order_by": _key,
                        "same": {"type": "array", "maxItems": 5, "items": _key},
                        "kinds": _values,
                        "reason": _key,
                    },
                    "additionalProperties": False,
                },
            },
            "additionalProperties": False,
        },
        "limit": {
            "type": "object",
            "required": ["relation", "quantity", "within"],
            "properties": {"relation": _key, "quantity": _key, "within": _key},
            "additionalProperties": False,
        },
        "list": {
            "type": "object",
            "properties": {
                "columns": {"type": "array", "maxItems": 50, "items": _key},
                "computed": {
                    "type": "array",
                    "maxItems": 20,
                    "items": {
                        "type": "object",
                        "required": ["key", "label", "expression"],
                        "properties": {
                            "key": _key,
                            "label": _label,
                            "expression": {"type": "object"},
                            "options": _options,
                        },
                        "additionalProperties": False,
                    },
                },
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}
_validator = Draft202012Validator(META_SCHEMA)


def _path(parts) -> str:
    return ".".join(str(p) for p in parts) or "_body"


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
                result = expr.check(f[key], names, alerts=False)
            except ValidationError as exc:
                for where, msgs in (exc.errors or {"": [exc.message]}).items():
                    target = f"fields.{index}.{key}" + (f".{where}" if where else "")
                    problems.setdefault(target, []).extend(msgs)
                continue
            if key != "formula" and result != "boolean":
                problems.setdefault(f"fields.{index}.{key}", []).append(
                    f"must be a condition (true/false), not {result}"
                )


#: what a draft must be to be saved: the designer's work in progress is checked when it is
#: published, but it is a form definition's outline (an object of fields and known settings)
_DRAFT_OUTLINE = Draft202012Validator(
    {
        "type": "object",
        "required": ["fields"],
        "properties": {
            **{name: {} for name in META_SCHEMA["properties"]},
            "fields": {"type": "array", "maxItems": 500, "items": {"type": "object"}},
        },
        "additionalProperties": False,
    }
)


def check_draft_outline(draft: Any, prefix: str = "draft") -> None:
    """Refuse a draft that is not a form definition's outline (a 422 by path); what is
    inside its fields is checked when it is published (``validate_metadata``)."""
    problems: dict[str, list[str]] = {}
    for error in _DRAFT_OUTLINE.iter_errors(draft):
        where = [prefix, *error.absolute_path]
        if error.validator == "additionalProperties":  # name each setting not known
            for name in sorted(set(error.instance) - set(META_SCHEMA["properties"])):
                problems.setdefault(_path([*where, name]), []).append("Unknown setting.")
            continue
        problems.setdefault(_path(where), []).append(error.message)
    if problems:
        raise ValidationError("The form definition is not valid.", problems)


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
    if not problems:  # the settings that name fields, once the fields are sound
        for found in (
            lookups.problems(meta["fields"]),
            ledger.problems(meta),
            ledger.limit_problems(meta),
            ownership.problems(meta),
            list_columns.problems(meta, expression_fields(meta["fields"])),
        ):
            for path, messages in found.items():
                problems.setdefault(path, []).extend(messages)
    if problems:
        raise ValidationError("The form definition is not valid.", problems)
    return meta
