"""Save-time checking: an expression is refused unless it is well formed and well typed.

``analyse`` returns the expression as a typed tree (the SQL compiler works from it);
``check`` returns only the result type. Once an expression passes, evaluating or compiling
it must not fail for any data of the declared field types, so every doubt is settled here.
Errors are keyed by the path of the offending node, e.g. ``and.1.<.0``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine_errors import ValidationError
from form_engine.expr import values
from form_engine.expr.syntax import child_path, operation, validate_shape

NUMERIC = frozenset({"integer", "decimal"})
ORDERED = NUMERIC | {"string", "date", "datetime"}
TEMPORAL = frozenset({"date", "datetime"})
CONDITION = frozenset({"boolean", "array", "null", "invalid"})


@dataclass(frozen=True)
class Typed:
    """One node of a checked expression.

    ``op`` is the operator, ``"literal"`` or ``"list"``; ``type`` a field type, ``"null"``,
    ``"list"`` or ``"invalid"`` (after an error). ``value`` holds a literal's value (dates
    parsed, numbers as int or Decimal), a field name for ``var``, the names for ``missing``
    and, for ``in``, how it matches: ``"list"``, ``"substring"`` or ``"element"``.
    """

    op: str
    type: str
    args: tuple[Typed, ...] = ()
    value: Any = None


INVALID = Typed("literal", "invalid")
_LARGEST = 2**63 - 1  # what every database can hold as an integer


#: why ``alert_level`` is refused where an expression runs on a record's values
NO_ALERTS = (
    "'alert_level' reads warning-rule alerts, which only queries (charts, record lists) see;"
    " form linkage and flow conditions cannot use it"
)


def check(expr: Any, fields: Mapping[str, str], *, alerts: bool = True) -> str:
    """The static result type of ``expr``, or ValidationError explaining what is wrong.

    ``alerts=False`` refuses ``alert_level``: for expressions that run on one record's
    values in Python or the browser (form linkage, flow conditions), where it is always green.
    """
    return analyse(expr, fields, alerts=alerts).type


def analyse(expr: Any, fields: Mapping[str, str], *, alerts: bool = True) -> Typed:
    validate_shape(expr)
    checker = _Checker(fields, alerts)
    typed = checker.node(expr, "$")
    if checker.errors:
        path, messages = next(iter(checker.errors.items()))
        raise ValidationError(f"Invalid expression at {path}: {messages[0]}", checker.errors)
    return typed


def literal(value: Any) -> Typed:
    if value is None:
        return Typed("literal", "null")
    if isinstance(value, bool):
        return Typed("literal", "boolean", value=value)
    if isinstance(value, int | float):
        value = values.number(value)
        return Typed("literal", "integer" if isinstance(value, int) else "decimal", value=value)
    return Typed("literal", "string", value=value)


class _Checker:
    def __init__(self, fields: Mapping[str, str], alerts: bool = True) -> None:
        self.fields = fields
        self.alerts = alerts
        self.errors: dict[str, list[str]] = {}

    def fail(self, path: str, message: str) -> Typed:
        self.errors.setdefault(path, []).append(message)
        return INVALID

    def node(self, expr: Any, path: str) -> Typed:
        found = operation(expr)
        if found is None:
            return self.literal(expr, path)
        op, args = found
        return _RULES[op](self, op, args, child_path(path, op))

    def literal(self, value: Any, path: str) -> Typed:
        typed = literal(value)
        if typed.type == "integer" and abs(typed.value) > _LARGEST:
            return self.fail(path, "The number is too large")
        return typed

    def args(self, args: list, here: str) -> list[Typed]:
        return [self.node(arg, child_path(here, index)) for index, arg in enumerate(args)]

    def convert(self, typed: Typed, target: str, path: str) -> Typed | None:
        """``typed`` as a ``target`` value: ISO text literals become dates; else None."""
        if typed.type in (target, "null", "invalid"):
            return typed
        if target == "decimal" and typed.type == "integer":
            is_literal = typed.op == "literal"
            return Typed("literal", "decimal", value=Decimal(typed.value)) if is_literal else typed
        if target in TEMPORAL and typed.op == "literal" and typed.type == "string":
            parse = values.parse_date if target == "date" else values.parse_datetime
            parsed = parse(typed.value)
            if parsed is None:
                noun = "date (YYYY-MM-DD)" if target == "date" else "date and time"
                return self.fail(path, f"'{typed.value}' is not a valid {noun}")
            return Typed("literal", target, value=parsed)
        return None

    def join(
        self, op: str, items: list[Typed], here: str, paths: list[str]
    ) -> tuple[str, list[Typed]]:
        """The common type of ``items`` and the items converted to it (error on ``here``)."""
        kinds = {item.type for item in items} - {"null", "invalid"}
        temporal = kinds & TEMPORAL
        texts_are_literals = all(i.op == "literal" for i in items if i.type == "string")
        if not kinds:
            return ("invalid" if any(i.type == "invalid" for i in items) else "null"), items
        if kinds <= NUMERIC:
            target = "decimal" if "decimal" in kinds else "integer"
        elif len(temporal) == 1 and kinds - temporal <= {"string"} and texts_are_literals:
            target = next(iter(temporal))
        elif len(kinds) == 1:
            target = next(iter(kinds))
        else:
            first, *others = sorted(kinds)
            if op == "if":
                message = f"The branches of 'if' give different types: {first}, {', '.join(others)}"
            else:
                message = f"'{op}' cannot compare {first} with {' or '.join(others)}"
            self.fail(here, message)
            return "invalid", [INVALID for _ in items]
        pairs = zip(items, paths, strict=True)
        return target, [self.convert(item, target, path) or INVALID for item, path in pairs]

    def require(
        self, typed: Typed, allowed: frozenset[str], path: str, op: str, need: str
    ) -> Typed:
        if typed.type not in allowed | {"invalid"}:
            return self.fail(path, f"'{op}' needs {need}, got {typed.type}")
        return typed

    def require_all(
        self, items: list[Typed], here: str, allowed: frozenset[str], op: str, need: str
    ) -> list[Typed]:
        paths = _paths(here, len(items))
        pairs = zip(items, paths, strict=True)
        return [self.require(item, allowed, path, op, need) for item, path in pairs]


def _paths(here: str, count: int) -> list[str]:
    return [child_path(here, index) for index in range(count)]


def _var(self: _Checker, op: str, args: list, here: str) -> Typed:
    name = args[0]
    field_type = self.fields.get(name)
    if field_type is None:
        return self.fail(here, f"Unknown field '{name}'")
    if field_type not in values.FIELD_TYPES:
        return self.fail(here, f"Field '{name}' has an unsupported type '{field_type}'")
    if len(args) == 1:
        return Typed("var", field_type, value=name)
    path = child_path(here, 1)
    default = self.convert(self.literal(args[1], path), field_type, path)
    if default is None:
        return self.fail(path, f"The default of '{name}' must be of type {field_type}")
    return Typed("var", field_type, (default,), name)


def _equality(self: _Checker, op: str, args: list, here: str) -> Typed:
    items = self.args(args, here)
    if any(item.type == "array" for item in items):
        return self.fail(here, f"'{op}' cannot compare lists; use 'in' or 'missing'")
    _, items = self.join(op, items, here, _paths(here, 2))
    return Typed(op, "boolean", tuple(items))


def _ordering(self: _Checker, op: str, args: list, here: str) -> Typed:
    need = "numbers, text, dates or times"
    items = self.require_all(self.args(args, here), here, ORDERED, op, need)
    _, items = self.join(op, items, here, _paths(here, len(items)))
    return Typed(op, "boolean", tuple(items))


def _logic(self: _Checker, op: str, args: list, here: str) -> Typed:
    items = self.require_all(self.args(args, here), here, CONDITION, op, "true/false conditions")
    return Typed(op, "boolean", tuple(items))


def _membership(self: _Checker, op: str, args: list, here: str) -> Typed:
    """``in`` (value in a list, text in text, value in a multi-select) and ``contains``."""
    order = (0, 1) if op == "in" else (1, 0)
    needle_path, haystack_path = (child_path(here, i) for i in order)
    needle = self.node(args[order[0]], needle_path)
    if needle.type in ("null", "array"):
        return self.fail(needle_path, f"'{op}' needs a value to look for, got {needle.type}")
    raw = args[order[1]]
    if op == "in" and isinstance(raw, list):
        paths = _paths(haystack_path, len(raw))
        items = [self.literal(item, path) for item, path in zip(raw, paths, strict=True)]
        for index, item in enumerate(items):
            if item.type == "null":
                self.fail(paths[index], "A list for 'in' cannot hold null; use '==' with null")
        _, joined = self.join(op, [needle, *items], here, [needle_path, *paths])
        return Typed("in", "boolean", (joined[0], Typed("list", "list", tuple(joined[1:]))), "list")
    haystack = self.node(raw, haystack_path)
    haystack = self.require(
        haystack, frozenset({"string", "array"}), haystack_path, op, "text or a list"
    )
    needle = self.require(needle, frozenset({"string"}), needle_path, op, "text to look for")
    mode = "element" if haystack.type == "array" else "substring"
    return Typed("in", "boolean", (needle, haystack), mode)


def _starts_with(self: _Checker, op: str, args: list, here: str) -> Typed:
    text = frozenset({"string", "null"})
    items = self.require_all(self.args(args, here), here, text, op, "text")
    return Typed(op, "boolean", tuple(items))


def _arithmetic(self: _Checker, op: str, args: list, here: str) -> Typed:
    items = self.require_all(self.args(args, here), here, NUMERIC | {"null"}, op, "numbers")
    kinds = {item.type for item in items}
    if op == "/":
        divisor = items[1]
        if divisor.op == "literal" and divisor.type in NUMERIC and divisor.value == 0:
            self.fail(child_path(here, 1), "Division by zero")
        return Typed(op, "decimal", tuple(items))
    if not kinds & (NUMERIC | {"invalid"}):
        return self.fail(here, f"'{op}' needs at least one number")
    return Typed(op, "decimal" if "decimal" in kinds else "integer", tuple(items))


def _if(self: _Checker, op: str, args: list, here: str) -> Typed:
    items = self.args(args, here)
    paths = _paths(here, len(items))
    for index in range(0, len(items) - 1, 2):
        items[index] = self.require(items[index], CONDITION, paths[index], op, "a condition")
    branches = [*range(1, len(items), 2), len(items) - 1]
    target, joined = self.join(op, [items[i] for i in branches], here, [paths[i] for i in branches])
    for index, typed in zip(branches, joined, strict=True):
        items[index] = typed
    return Typed(op, target, tuple(items))


def _missing(self: _Checker, op: str, args: list, here: str) -> Typed:
    for index, name in enumerate(args):
        if name not in self.fields:
            self.fail(child_path(here, index), f"Unknown field '{name}'")
    return Typed(op, "array", value=tuple(args))


def _alert_level(self: _Checker, op: str, args: list, here: str) -> Typed:
    if not self.alerts:
        return self.fail(here, NO_ALERTS)
    return Typed(op, "string", value=args[0])


def _today(self: _Checker, op: str, args: list, here: str) -> Typed:
    return Typed(op, "date")


def _date_function(self: _Checker, op: str, args: list, here: str) -> Typed:
    items = self.args(args, here)
    paths = _paths(here, len(items))
    dates = TEMPORAL | {"null"}
    for index in range(1 if op == "add_days" else len(items)):
        converted = self.convert(items[index], "date", paths[index])
        items[index] = self.require(converted or items[index], dates, paths[index], op, "a date")
    if op == "add_days":
        items[1] = self.require(
            items[1], frozenset({"integer", "null"}), paths[1], op, "whole days"
        )
    return Typed(op, "date" if op == "add_days" else "integer", tuple(items))


_RULES = {
    "var": _var,
    "in": _membership,
    "contains": _membership,
    "starts_with": _starts_with,
    "if": _if,
    "missing": _missing,
    "today": _today,
    "alert_level": _alert_level,
}
_RULES |= dict.fromkeys(("==", "!="), _equality)
_RULES |= dict.fromkeys(("<", "<=", ">", ">=", "between"), _ordering)
_RULES |= dict.fromkeys(("and", "or", "!", "!!"), _logic)
_RULES |= dict.fromkeys(("+", "-", "*", "/"), _arithmetic)
_RULES |= dict.fromkeys(("days_until", "date_diff", "add_days"), _date_function)
