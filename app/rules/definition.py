"""A rule's definition, checked against its form and turned into expressions.

The whole classification is written in the one expression language: remaining days,
the metric (remaining shelf-life %, remaining days, or predicted unsold quantity) and the
level chosen by ordered thresholds with overrides. ``classify`` compiles those
expressions to one SQL statement; the preview and tests can evaluate them in Python too.

Levels: ``expired`` when the expiry date is today or past; otherwise, for % and days
(lower is worse) ``red`` below the red threshold, ``yellow`` up to and including the
yellow threshold, ``green`` above it; for predicted unsold (higher is worse) ``red`` at or
above red, ``yellow`` at or above yellow. A row whose dates are missing, or whose shelf
life is zero, gets no level (it is counted as "unknown" in the preview, never a crash).
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from app.errors import ValidationError
from form_engine import expr
from form_engine.compiled import CompiledForm

METRICS = ("remaining_pct", "remaining_days", "predicted_unsold")
DEFAULT_LEVELS = {
    "remaining_pct": {"red": 30, "yellow": 60},
    "remaining_days": {"red": 30, "yellow": 90},
    "predicted_unsold": {"red": 100, "yellow": 1},
}
SEVERITY = {"green": 0, "yellow": 1, "red": 2, "expired": 3}
SALES_VAR = "_avg_daily_sales"
SHELF_VAR = "_shelf_days"

_levels = {
    "type": "object",
    "properties": {"red": {"type": "number"}, "yellow": {"type": "number"}},
    "required": ["red", "yellow"],
    "additionalProperties": False,
}
_action = {
    "type": "object",
    "required": ["type"],
    "properties": {
        "type": {"enum": ["todo", "notify"]},
        "assignee": {"type": "object"},
        "recipients": {"type": "object"},
        "channels": {"type": "array", "items": {"enum": ["in_app", "email"]}},
        "connector": {"type": "string", "description": "key of a DingTalk or WeCom robot"},
        "title": {"type": "string", "maxLength": 300},
        "template": {"type": "string", "maxLength": 4000},
    },
    "additionalProperties": False,
}
SCHEMA = {
    "type": "object",
    "required": ["form", "expiry"],
    "properties": {
        "form": {"type": "string"},
        "expiry": {
            "type": "object",
            "properties": {
                "field": {"type": "string"},
                "production_field": {"type": "string"},
                "shelf_life_field": {"type": "string"},
                "shelf_life_from": {
                    "type": "object",
                    "required": ["relation", "field"],
                    "properties": {"relation": {"type": "string"}, "field": {"type": "string"}},
                },
            },
            "additionalProperties": False,
        },
        "metric": {"enum": list(METRICS)},
        "scope": {"type": ["object", "boolean", "null"]},
        "levels": _levels,
        "overrides": {
            "type": "array",
            "maxItems": 50,
            "items": {
                "type": "object",
                "required": ["when", "levels"],
                "properties": {
                    "name": {"type": "string"},
                    "when": {"type": ["object", "boolean"]},
                    "levels": _levels,
                },
                "additionalProperties": False,
            },
        },
        "quantity_field": {"type": "string"},
        "cost_field": {"type": "string"},
        "category_field": {"type": "string"},
        "warehouse_field": {"type": "string"},
        "title_field": {"type": "string"},
        "sales": {
            "type": "object",
            "required": ["form", "match_field", "sales_match_field", "qty_field", "date_field"],
            "properties": {
                "form": {"type": "string"},
                "match_field": {"type": "string"},
                "sales_match_field": {"type": "string"},
                "qty_field": {"type": "string"},
                "date_field": {"type": "string"},
                "window_days": {"type": "integer", "minimum": 1, "maximum": 365},
            },
        },
        "actions": {
            "type": "object",
            "properties": {
                level: {"type": "array", "items": _action, "maxItems": 10}
                for level in ("yellow", "red", "expired")
            },
            "additionalProperties": False,
        },
        "digest": {"type": "boolean"},
    },
    "additionalProperties": False,
}
_validator = Draft202012Validator(SCHEMA)


def var(name: str) -> dict:
    return {"var": name}


def expiry_expr(d: dict) -> dict:
    e = d["expiry"]
    if e.get("field"):
        return var(e["field"])
    return {"add_days": [var(e["production_field"]), var(shelf_var(d))]}


def shelf_var(d: dict) -> str:
    e = d["expiry"]
    return SHELF_VAR if e.get("shelf_life_from") else e.get("shelf_life_field", "")


def days_left_expr(d: dict) -> dict:
    return {"days_until": [expiry_expr(d)]}


def total_days_expr(d: dict) -> dict:
    e = d["expiry"]
    if shelf_var(d):
        return var(shelf_var(d))
    return {"date_diff": [var(e["field"]), var(e["production_field"])]}


def metric_expr(d: dict) -> dict:
    metric = d.get("metric", "remaining_pct")
    days = days_left_expr(d)
    if metric == "remaining_days":
        return days
    if metric == "predicted_unsold":
        return {"-": [var(d["quantity_field"]), {"*": [var(SALES_VAR), days]}]}
    return {"*": [{"/": [days, total_days_expr(d)]}, 100]}


def _chain(d: dict, levels: dict) -> list:
    metric = metric_expr(d)
    if d.get("metric") == "predicted_unsold":
        return [
            {">=": [metric, levels["red"]]},
            "red",
            {">=": [metric, levels["yellow"]]},
            "yellow",
            {"==": [metric, None]},
            None,
            "green",
        ]
    return [
        {"<": [metric, levels["red"]]},
        "red",
        {"<=": [metric, levels["yellow"]]},
        "yellow",
        {"==": [metric, None]},
        None,
        "green",
    ]


def level_expr(d: dict) -> dict:
    """The level as one expression: expired first, then overrides in order, then defaults."""
    days = days_left_expr(d)
    default = d.get("levels") or DEFAULT_LEVELS[d.get("metric", "remaining_pct")]
    branches: list[Any] = [{"==": [days, None]}, None, {"<=": [days, 0]}, "expired"]
    for override in d.get("overrides", []):
        branches += [override["when"], {"if": _chain(d, override["levels"])}]
    branches += _chain(d, default)
    return {"if": branches}


def field_types(form: CompiledForm, d: dict) -> dict[str, str]:
    types = dict(form.expression_types)
    if d["expiry"].get("shelf_life_from"):
        types[SHELF_VAR] = "integer"
    if d.get("metric") == "predicted_unsold":
        types[SALES_VAR] = "decimal"
    return types


def validate_definition(definition: Any, form: CompiledForm | None) -> dict:
    """Check shape, fields and every expression; raise ValidationError with paths."""
    problems: dict[str, list[str]] = {}
    for error in _validator.iter_errors(definition):
        path = ".".join(str(p) for p in error.absolute_path) or "_body"
        problems.setdefault(path, []).append(error.message)
    if problems:
        raise ValidationError("The rule is not valid.", problems)
    if form is None:
        raise ValidationError(
            "The rule's form is not published.",
            {"form": [f"No published form '{definition['form']}'."]},
        )
    _check_fields(definition, form, problems)
    if problems:
        raise ValidationError("The rule is not valid.", problems)
    types = field_types(form, definition)
    for path, expression in [
        ("scope", definition.get("scope")),
        ("levels", level_expr(definition)),
        *[
            (f"overrides.{i}.when", o["when"])
            for i, o in enumerate(definition.get("overrides", []))
        ],
    ]:
        if expression in (None, True):
            continue
        try:
            expr.check(expression, types)
        except ValidationError as exc:
            problems.setdefault(path, []).append(exc.message)
    if problems:
        raise ValidationError("The rule is not valid.", problems)
    return definition


def _check_fields(d: dict, form: CompiledForm, problems: dict) -> None:
    kinds = form.expression_types
    e = d["expiry"]
    wanted = {
        "expiry.field": (e.get("field"), {"date", "datetime"}),
        "expiry.production_field": (e.get("production_field"), {"date", "datetime"}),
        "expiry.shelf_life_field": (e.get("shelf_life_field"), {"integer", "decimal"}),
        "quantity_field": (d.get("quantity_field"), {"integer", "decimal"}),
        "cost_field": (d.get("cost_field"), {"integer", "decimal"}),
        "category_field": (d.get("category_field"), None),
        "warehouse_field": (d.get("warehouse_field"), None),
        "title_field": (d.get("title_field"), None),
    }
    for path, (key, allowed) in wanted.items():
        if key is None:
            continue
        if key not in form.fields:
            problems.setdefault(path, []).append(f"The form has no field '{key}'.")
        elif allowed and kinds.get(key) not in allowed:
            problems.setdefault(path, []).append(f"'{key}' must be one of {sorted(allowed)}.")
    if not e.get("field") and not e.get("production_field"):
        problems.setdefault("expiry", []).append("Give an expiry field or a production field.")
    if not e.get("field") and not (e.get("shelf_life_field") or e.get("shelf_life_from")):
        problems.setdefault("expiry", []).append("A production date needs a shelf life.")
    pct = d.get("metric", "remaining_pct") == "remaining_pct"
    if pct and not (
        e.get("production_field") or e.get("shelf_life_field") or e.get("shelf_life_from")
    ):
        problems.setdefault("expiry", []).append(
            "Remaining shelf-life % needs a production date or a shelf life."
        )
    if d.get("metric") == "predicted_unsold" and not (d.get("sales") and d.get("quantity_field")):
        problems.setdefault("sales", []).append("Predicted unsold needs sales and a quantity.")
