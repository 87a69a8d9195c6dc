"""Typed inputs of service actions, checked at deploy time.

An input is one of a few kinds (text, an assignment, a form key, a field of the action's
target form, a field mapping, a condition, a quantity, a connector and its action, a flow
key, notification channels, free JSON). Values that come from the flow's record are
written either as expressions of the condition language (``{"var": "qty"}``, evaluated on
the bound record) or, inside conditions and connector payloads that run against other
data, as ``{"$record": "<field>"}`` placeholders filled in with the bound record's value.
Nothing is ever evaluated as code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine_errors import ValidationError
from flow_engine import assignment
from form_engine import expr

CHANNELS = ("in_app", "email")
PLACEHOLDER = "$record"
NUMERIC = ("integer", "decimal")
_SAMPLES = {"integer": 0, "decimal": 0, "string": "", "boolean": False}


@dataclass(frozen=True)
class ActionContext:
    """What inputs may name: the bound form and, when known, the tenant's catalogue.

    A catalogue entry left as None is not checked (e.g. when validating a file offline).
    """

    form_key: str
    fields: Mapping[str, str]  # bound form: field key -> expression type
    user_fields: frozenset[str] = frozenset()
    roles: frozenset[str] | None = None
    forms: Mapping[str, Mapping[str, str]] | None = None  # form key -> field types
    connectors: Mapping[str, frozenset[str]] | None = None  # connector key -> its actions
    flows: Mapping[str, str] | None = None  # flow key -> the key of the form it is bound to

    def target_fields(self, form_key: str | None) -> Mapping[str, str] | None:
        if not form_key or form_key == self.form_key:
            return self.fields
        if self.forms is None:
            return None
        return self.forms.get(form_key)


@dataclass(frozen=True)
class Input:
    """One input of an action. ``target`` names the input holding the form a field,
    mapping or condition refers to (the bound form when that input is empty)."""

    name: str
    kind: str
    required: bool = False
    target: str | None = None
    default: Any = None
    options: tuple[str, ...] = field(default_factory=tuple)


def substitute(value: Any, record: Mapping[str, Any]) -> Any:
    """``value`` with every ``{"$record": field}`` replaced by the record's value."""
    if isinstance(value, dict):
        if set(value) == {PLACEHOLDER}:
            found = record.get(value[PLACEHOLDER])
            return found.isoformat() if hasattr(found, "isoformat") else found
        return {k: substitute(v, record) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, record) for v in value]
    return value


def _placeholders(value: Any) -> list[str]:
    if isinstance(value, dict):
        if set(value) == {PLACEHOLDER}:
            return [value[PLACEHOLDER]]
        return [p for v in value.values() for p in _placeholders(v)]
    if isinstance(value, list):
        return [p for v in value for p in _placeholders(v)]
    return []


def _check_placeholders(value: Any, ctx: ActionContext) -> None:
    for name in _placeholders(value):
        if not isinstance(name, str) or name not in ctx.fields:
            raise ValidationError(f"{{'$record': {name!r}}}: the bound form has no such field.")


def _value_expression(value: Any, ctx: ActionContext) -> str:
    """A mapping value: a literal, or an expression on the bound record; its type."""
    if isinstance(value, dict):  # computed on the record's values, which hold no alerts
        return expr.check(value, ctx.fields, alerts=False)
    if value is None or isinstance(value, str | int | float | bool):
        return "literal"
    raise ValidationError("A value is a literal or an expression object.")


def _text(value: Any, _: Input, ctx: ActionContext, inputs: dict) -> Any:
    if not isinstance(value, str) or len(value) > 2000:
        raise ValidationError("Text of at most 2000 characters.")
    return value


def _assignee(value: Any, _: Input, ctx: ActionContext, inputs: dict) -> Any:
    if not isinstance(value, str):
        raise ValidationError("An assignment such as role:finance or field:owner.")
    assignment.check(value, ctx.user_fields, ctx.roles)
    return value


def _form(value: Any, _: Input, ctx: ActionContext, inputs: dict) -> Any:
    if not isinstance(value, str) or not value:
        raise ValidationError("The key of a published form.")
    if value != ctx.form_key and ctx.forms is not None and value not in ctx.forms:
        raise ValidationError(f"No published form '{value}'.")
    return value


def _target(spec: Input, ctx: ActionContext, inputs: dict) -> Mapping[str, str] | None:
    """The fields of the form an input refers to (None when that cannot be known here)."""
    key = inputs.get(spec.target) if spec.target else None
    if spec.target == "flow":  # a flow's inputs name fields of the form it is bound to
        if ctx.flows is None or key not in ctx.flows:
            return None
        key = ctx.flows[key]
        if ctx.forms is None or key not in ctx.forms:
            return None if key != ctx.form_key else ctx.fields
    return ctx.target_fields(key)


def _field(value: Any, spec: Input, ctx: ActionContext, inputs: dict) -> Any:
    fields = _target(spec, ctx, inputs)
    name = value.lstrip("-") if isinstance(value, str) else value
    if not isinstance(name, str) or not name:
        raise ValidationError("The key of a field.")
    if fields is not None and name not in fields:
        raise ValidationError(f"The form has no field '{name}'.")
    if fields is not None and "numeric" in spec.options and fields[name] not in NUMERIC:
        raise ValidationError(f"'{name}' is not a number field.")
    if value.startswith("-") and "descending" not in spec.options:
        raise ValidationError("A field key, without a sign.")
    return value


def _mapping(value: Any, spec: Input, ctx: ActionContext, inputs: dict) -> Any:
    if not isinstance(value, dict) or not value:
        raise ValidationError("Map each field to a value or an expression.")
    fields = _target(spec, ctx, inputs)
    for key, item in value.items():
        if fields is not None and key not in fields:
            raise ValidationError(f"The target form has no field '{key}'.")
        try:
            _value_expression(item, ctx)
        except ValidationError as exc:
            raise ValidationError(f"{key}: {exc.message}") from None
    return value


def _condition(value: Any, spec: Input, ctx: ActionContext, inputs: dict) -> Any:
    if not isinstance(value, dict | bool):
        raise ValidationError("A condition is an expression object.")
    _check_placeholders(value, ctx)
    fields = _target(spec, ctx, inputs)
    if fields is not None:
        sample = {n: _SAMPLES.get(ctx.fields[n]) for n in _placeholders(value)}
        result = expr.check(substitute(value, sample), fields)
        if result not in {"boolean", "array", "null"}:
            raise ValidationError(f"A condition must be true or false, not a {result}.")
    return value


def _quantity(value: Any, _: Input, ctx: ActionContext, inputs: dict) -> Any:
    if isinstance(value, bool):
        raise ValidationError("A positive number, or an expression on the record.")
    if isinstance(value, int | float):
        if value <= 0:
            raise ValidationError("A positive number.")
        return value
    if isinstance(value, dict) and _value_expression(value, ctx) in (*NUMERIC, "null"):
        return value
    raise ValidationError("A positive number, or an expression on the record.")


def _connector(value: Any, _: Input, ctx: ActionContext, inputs: dict) -> Any:
    if not isinstance(value, str) or not value:
        raise ValidationError("The key of a connector.")
    if ctx.connectors is not None and value not in ctx.connectors:
        raise ValidationError(f"No connector '{value}'.")
    return value


def _connector_action(value: Any, spec: Input, ctx: ActionContext, inputs: dict) -> Any:
    if not isinstance(value, str) or not value:
        raise ValidationError("The name of the connector's action.")
    known = (ctx.connectors or {}).get(inputs.get(spec.target) or "")
    if known is not None and value not in known:
        raise ValidationError(f"The connector has no action '{value}': one of {sorted(known)}.")
    return value


def _flow(value: Any, _: Input, ctx: ActionContext, inputs: dict) -> Any:
    if not isinstance(value, str) or not value:
        raise ValidationError("The key of a flow.")
    if ctx.flows is not None and value not in ctx.flows:
        raise ValidationError(f"No flow '{value}'.")
    return value


def _channels(value: Any, _: Input, ctx: ActionContext, inputs: dict) -> Any:
    if not isinstance(value, list) or not value or any(c not in CHANNELS for c in value):
        raise ValidationError(f"A list of channels: {', '.join(CHANNELS)}.")
    return sorted(set(value), key=CHANNELS.index)


def _json(value: Any, _: Input, ctx: ActionContext, inputs: dict) -> Any:
    if not isinstance(value, dict):
        raise ValidationError("A JSON object.")
    _check_placeholders(value, ctx)
    return value


CHECKS: dict[str, Callable[[Any, Input, ActionContext, dict], Any]] = {
    "text": _text,
    "assignee": _assignee,
    "form": _form,
    "field": _field,
    "mapping": _mapping,
    "condition": _condition,
    "quantity": _quantity,
    "connector": _connector,
    "connector_action": _connector_action,
    "flow": _flow,
    "channels": _channels,
    "json": _json,
}
