"""The shape of an app package (``greenshelf.app/1``), checked before anything is staged.

Only the shape: that each part is where it belongs, with its key, label and definition of
the right kind. Whether a form's fields, a flow's nodes or a chart's measures make sense is
for the services that install them to say, under the same paths.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

FORMAT = "greenshelf.app/1"
#: the most sample records a package carries per form (export refuses more)
MAX_ROWS = 10_000
KINDS = ("forms", "rules", "flows", "charts", "dashboards", "roles", "connectors")

_KEY = {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$"}
_TEXT = {"type": "string", "maxLength": 200}
_LABEL = {
    "type": "object",
    "properties": {"zh": _TEXT, "en": _TEXT},
    "additionalProperties": False,
    "minProperties": 1,
}
_ROLE_CODES = {"type": "array", "items": {"type": "string"}}


def _entry(required: list[str], **properties: Any) -> dict:
    return {"type": "object", "required": required, "properties": properties}


def _list(entry: dict) -> dict:
    return {"type": "array", "items": entry}


SCHEMA = {
    "type": "object",
    "required": ["format", "app"],
    "properties": {
        "format": {"const": FORMAT},
        "app": _entry(
            ["key", "label"],
            key=_KEY,
            label=_LABEL,
            description={"type": ["string", "null"], "maxLength": 2000},
            icon={"type": ["string", "null"], "maxLength": 64},
        ),
        "forms": _list(
            _entry(
                ["key", "label", "meta"],
                key=_KEY,
                label=_LABEL,
                meta=_entry(["fields"], fields={"type": "array", "items": {"type": "object"}}),
            )
        ),
        "rules": _list(
            _entry(
                ["key", "label", "definition"],
                key=_KEY,
                label=_LABEL,
                definition={"type": "object"},
                schedule={"type": "string", "minLength": 9, "maxLength": 64},
            )
        ),
        "flows": _list(
            _entry(
                ["key", "name", "form"],
                key=_KEY,
                name={"type": "string", "minLength": 1, "maxLength": 200},
                form=_KEY,
                tree={"type": ["object", "null"]},
                bpmn={"type": ["string", "null"], "minLength": 1},
                on_submit={"type": "boolean"},
            )
        ),
        "charts": _list(
            _entry(["key", "label", "form", "definition"], key=_KEY, form=_KEY, definition={})
        ),
        "dashboards": _list(
            _entry(
                ["key", "label"],
                key=_KEY,
                layout=_list(
                    _entry(
                        ["chart", "x", "y", "w", "h"],
                        chart=_KEY,
                        **{k: {"type": "integer", "minimum": 0} for k in ("x", "y", "w", "h")},
                    )
                ),
                filters={"type": ["object", "null"]},
                refresh_seconds={"type": ["integer", "null"]},
                viewer_roles=_ROLE_CODES,
                editor_roles=_ROLE_CODES,
            )
        ),
        "roles": _list(
            _entry(
                ["code", "name"],
                code={"type": "string", "pattern": "^[a-z][a-z0-9_]{1,63}$"},
                name={"type": "string", "minLength": 1, "maxLength": 200},
                permissions={"type": "array", "items": {"type": "string"}},
                data_scope={"type": "string"},
            )
        ),
        "connectors": _list(
            _entry(
                ["key", "type", "label", "config"],
                key=_KEY,
                type={"type": "string"},
                label=_LABEL,
                config={"type": "object"},
            )
        ),
        "data": {
            "type": "object",
            "propertyNames": _KEY,
            "additionalProperties": {
                "type": "array",
                "maxItems": MAX_ROWS,
                "items": {"type": "object"},
            },
        },
    },
    "additionalProperties": False,
}
_validator = Draft202012Validator(SCHEMA)


def _path(parts) -> str:
    return ".".join(str(p) for p in parts)


def _message(error) -> str:
    if error.validator == "maxItems" and error.absolute_path and error.absolute_path[0] == "data":
        return f"At most {MAX_ROWS} sample records per form."
    if error.validator == "required":
        return "Missing data for required field."
    if error.validator == "additionalProperties":
        return "Unknown field."
    if error.validator == "pattern":
        return "a-z, 0-9 and _, starting with a letter"
    return error.message


def shape_problems(package: Any) -> dict[str, list[str]]:
    """Every problem of the package's shape by path; {} when it has the shape of one."""
    if not isinstance(package, dict) or not isinstance(package.get("format"), str):
        return {"format": [f"Not a GreenShelf app package: expected format {FORMAT}."]}
    if package["format"] != FORMAT:
        return {
            "format": [
                f"This package is in the format {package['format']}; "
                f"this installation reads {FORMAT}."
            ]
        }
    problems: dict[str, list[str]] = {}
    for error in _validator.iter_errors(package):
        parts = list(error.absolute_path)
        if error.validator == "required":
            parts.append(error.message.split("'")[1])
        elif error.validator == "additionalProperties":
            for name in sorted(set(error.instance) - set(error.schema.get("properties", {}))):
                problems.setdefault(_path([*parts, name]), []).append("Unknown field.")
            continue
        problems.setdefault(_path(parts) or "_body", []).append(_message(error))
    return problems
