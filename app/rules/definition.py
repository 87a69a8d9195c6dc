"""A rule's definition, checked against its form and turned into expressions.

The whole classification is written in the one expression language: remaining days,
the metric (remaining shelf-life %, remaining days, or predicted unsold quantity) and the
level chosen by ordered thresholds with overrides, and optionally thresholds read from a
related record (``thresholds_from``: a category's own). ``classify`` compiles those
expressions to one SQL statement; the preview and tests can evaluate them in Python too.

Levels: ``expired`` when the expiry date is today or past; otherwise, for % and days
(lower is worse) ``red`` below the red threshold, ``yellow`` up to and including the
yellow threshold, ``green`` above it; for predicted unsold (higher is worse) ``red`` at or
above red, ``yellow`` at or above yellow. The first override whose condition holds decides;
else a related record's thresholds, when it has both; else the rule's own levels. A row
whose dates are missing, or whose shelf life is zero, gets no level (it is counted as
"unknown" in the preview, never a crash).
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
#: the bit of ``alerts.fired`` that says a level's actions have fired for an alert
FIRED_BIT = {level: 1 << severity for level, severity in SEVERITY.items() if severity}
SALES_VAR = "_avg_daily_sales"
SHELF_VAR = "_shelf_days"
RED_VAR, YELLOW_VAR = "_red_threshold", "_yellow_threshold"

_levels = {
    "type": "object",
    "properties": {"red": {"type": "number"}, "yellow": {"type": "number"}},
    "required": ["red", "yellow"],
    "additionalProperties": False,
}
_people = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {
        "user": {"type": "integer", "minimum": 1},
        "role": {"type": "string", "minLength": 1},
        "department_head": {"const": True},
        "field": {"type": "string", "minLength": 1},
    },
    "additionalProperties": False,
}
_action = {
    "type": "object",
    "required": ["type"],
    "properties": {
        "type": {"enum": ["todo", "notify", "start_flow"]},
        "assignee": _people,
        "recipients": _people,
        "flow": {"type": "string", "minLength": 1, "description": "key of a deployed flow"},
        "mapping": {
            "type": "object",
            "minProperties": 1,
            "description": "flow form field -> literal or expression on the rule's record",
        },
        "initiator": {
            "type": "object",
            "required": ["user"],
            "properties": {"user": {"type": "integer", "minimum": 1}},
            "additionalProperties": False,
        },
        "channels": {"type": "array", "items": {"enum": ["in_app", "email", "sms"]}},
        "connector": {"type": "string", "description": "key of a DingTalk or WeCom robot"},
        "sms_connector": {
            "type": "string",
            "minLength": 1,
            "description": "with the sms channel: key of an SMS connector (gateway or Aliyun)",
        },
        "sms_template": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "description": "Aliyun SMS template code; its variables: title, count, level",
        },
        "title": {"type": "string", "maxLength": 300},
        "template": {"type": "string", "maxLength": 4000},
    },
    "additionalProperties": False,
    "allOf": [
        {
            "if": {"properties": {"type": {"const": "start_flow"}}},
            "then": {"required": ["flow", "mapping"]},
        }
    ],
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
        "thresholds_from": {
            "type": "object",
            "required": ["path", "red", "yellow"],
            "properties": {
                "path": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 3,
                    "items": {"type": "string"},
                    "description": "relation fields from the rule's form to the record "
                    "holding the thresholds (e.g. the batch's SKU, then its category)",
                },
                "red": {"type": "string"},
                "yellow": {"type": "string"},
            },
            "additionalProperties": False,
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


def metric_expr(d: dict, days: dict | None = None) -> dict:
    """The metric; ``days`` stands for the remaining days when they are computed apart."""
    metric = d.get("metric", "remaining_pct")
    days = days or days_left_expr(d)
    if metric == "remaining_days":
        return days
    if metric == "predicted_unsold":
        return {"-": [var(d["quantity_field"]), {"*": [var(SALES_VAR), days]}]}
    return {"*": [{"/": [days, total_days_expr(d)]}, 100]}


def _chain(d: dict, levels: dict, metric: dict) -> list:
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


def level_expr(d: dict, days: dict | None = None, metric: dict | None = None) -> dict:
    """The level as one expression: expired first, then overrides in order, then defaults.

    ``days`` and ``metric`` stand for the remaining days and the metric when the caller
    has computed them already (a classification computes each once per row).
    """
    days = days or days_left_expr(d)
    metric = metric or metric_expr(d, days)
    default = d.get("levels") or DEFAULT_LEVELS[d.get("metric", "remaining_pct")]
    branches: list[Any] = [{"==": [days, None]}, None, {"<=": [days, 0]}, "expired"]
    for override in d.get("overrides", []):
        branches += [override["when"], {"if": _chain(d, override["levels"], metric)}]
    if d.get("thresholds_from"):  # the related record's own thresholds, when it has both
        related = {"red": var(RED_VAR), "yellow": var(YELLOW_VAR)}
        both = {"and": [{"!=": [var(RED_VAR), None]}, {"!=": [var(YELLOW_VAR), None]}]}
        branches += [both, {"if": _chain(d, related, metric)}]
    branches += _chain(d, default, metric)
    return {"if": branches}


def field_types(form: CompiledForm, d: dict) -> dict[str, str]:
    types = dict(form.expression_types)
    if d["expiry"].get("shelf_life_from"):
        types[SHELF_VAR] = "integer"
    if d.get("metric") == "predicted_unsold":
        types[SALES_VAR] = "decimal"
    if d.get("thresholds_from"):
        types[RED_VAR] = types[YELLOW_VAR] = "decimal"
    return types


#: variables a start-flow mapping may use besides the record's fields
MAPPING_VARS = {"_level": "string", "_days_left": "integer"}


def validate_definition(definition: Any, form: CompiledForm | None, more=None) -> dict:
    """Check shape, fields, thresholds and every expression; raise ValidationError listing
    every problem found, each under its path. ``more(problems)`` adds checks of its own."""
    problems = definition_problems(definition, form)
    if more is not None and isinstance(definition, dict):
        more(problems)
    if problems:
        raise ValidationError("The rule is not valid.", problems)
    return definition


def definition_problems(definition: Any, form: CompiledForm | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for error in _validator.iter_errors(definition):
        parts = [str(p) for p in error.absolute_path]
        if error.validator == "required" and isinstance(error.instance, dict):
            # a missing property is reported where it should have been
            missing = [k for k in error.validator_value if k not in error.instance]
            parts += missing[:1]
        path = ".".join(parts) or "_body"
        problems.setdefault(path, []).append(error.message)
    if not isinstance(definition, dict):
        return problems
    _check_thresholds(definition, problems)
    if form is None:
        if isinstance(definition.get("form"), str):
            problems.setdefault("form", []).append(f"No published form '{definition['form']}'.")
        return problems
    if not isinstance(definition.get("expiry"), dict):
        return problems
    _check_fields(definition, form, problems)
    types = field_types(form, definition)
    checks = [("scope", definition.get("scope"))] + [
        (f"overrides.{i}.when", o.get("when"))
        for i, o in enumerate(definition.get("overrides") or [])
        if isinstance(o, dict)
    ]
    level_parts = (
        "_body",
        "expiry",
        "metric",
        "levels",
        "overrides",
        "thresholds_from",
        "quantity_field",
        "sales",
    )
    if not any(path.split(".")[0] in level_parts for path in problems):
        checks.append(("levels", level_expr(definition)))  # built from what was checked above
    for path, expression in checks:
        if expression in (None, True) or not isinstance(expression, dict | bool):
            continue
        try:
            expr.check(expression, types)
        except ValidationError as exc:
            problems.setdefault(path, []).append(exc.message)
    _check_mappings(definition, types, problems)
    return problems


def _check_thresholds(d: dict, problems: dict) -> None:
    """Red must be worse than yellow: lower for % and days, higher for predicted unsold."""
    higher_is_worse = d.get("metric") == "predicted_unsold"
    overrides = d.get("overrides") if isinstance(d.get("overrides"), list) else []
    pairs = [("levels", d.get("levels"))] + [
        (f"overrides.{i}.levels", o.get("levels"))
        for i, o in enumerate(overrides)
        if isinstance(o, dict)
    ]
    for path, levels in pairs:
        if not isinstance(levels, dict):
            continue
        red, yellow = levels.get("red"), levels.get("yellow")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (red, yellow)):
            continue
        if higher_is_worse and red <= yellow:
            problems.setdefault(path, []).append(
                "For predicted unsold, the red threshold must be above the yellow one."
            )
        elif not higher_is_worse and red >= yellow:
            problems.setdefault(path, []).append("The red threshold must be below the yellow one.")


def each_action(d: dict):
    """(level, index, action) for every well-formed action of the definition."""
    actions = d.get("actions")
    for level, items in (actions if isinstance(actions, dict) else {}).items():
        for i, action in enumerate(items if isinstance(items, list) else []):
            if isinstance(action, dict):
                yield level, i, action


def _check_mappings(d: dict, types: dict, problems: dict) -> None:
    """Each start-flow mapping value is a literal or an expression on the rule's record."""
    for level, i, action in each_action(d):
        if isinstance(action.get("mapping"), dict):
            for key, value in action["mapping"].items():
                path = f"actions.{level}.{i}.mapping.{key}"
                if isinstance(value, dict):
                    try:
                        expr.check(value, {**types, **MAPPING_VARS})
                    except ValidationError as exc:
                        problems.setdefault(path, []).append(exc.message)
                elif isinstance(value, list):
                    problems.setdefault(path, []).append(
                        "A value is a literal or an expression object."
                    )


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
        if not isinstance(key, str):
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
