"""The shape of an expression: which operators exist, how many arguments they take, limits.

Everything here is about structure only (no field types, no data), so the checker, the
interpreter and the SQL compiler all read expressions the same way. It never evaluates
anything and never turns user text into code.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from engine_errors import ValidationError

MAX_DEPTH = 32
MAX_NODES = 10_000

# operator -> (fewest arguments, most arguments or None for "any number")
OPERATORS: dict[str, tuple[int, int | None]] = {
    "var": (1, 2),
    "==": (2, 2),
    "!=": (2, 2),
    "<": (2, 3),
    "<=": (2, 3),
    ">": (2, 2),
    ">=": (2, 2),
    "between": (3, 3),
    "and": (1, None),
    "or": (1, None),
    "!": (1, 1),
    "!!": (1, 1),
    "in": (2, 2),
    "contains": (2, 2),
    "starts_with": (2, 2),
    "+": (1, None),
    "-": (1, 2),
    "*": (1, None),
    "/": (2, 2),
    "if": (3, None),
    "missing": (1, None),
    "today": (0, 0),
    "days_until": (1, 1),
    "date_diff": (2, 2),
    "add_days": (2, 2),
    "alert_level": (1, 1),
}

ROOT = "$"


def child_path(path: str, *parts: object) -> str:
    """The path of a part of the node at ``path`` (``and.1.<.0`` style)."""
    prefix = [] if path == ROOT else [path]
    return ".".join([*prefix, *(str(p) for p in parts)])


def operation(node: Any) -> tuple[str, list] | None:
    """``(operator, arguments)`` for an operator node, None for a literal.

    As in JsonLogic, a single argument may be written without the list: ``{"var": "qty"}``.
    """
    if not isinstance(node, dict) or len(node) != 1:
        return None
    op, args = next(iter(node.items()))
    return op, args if isinstance(args, list) else [args]


def is_literal(node: Any) -> bool:
    """A plain JSON value: null, a boolean, a finite number or a string."""
    if isinstance(node, float):
        return math.isfinite(node)
    return node is None or isinstance(node, bool | int | str)


def validate_shape(expr: Any) -> None:
    """Raise ValidationError listing every structural problem of ``expr``."""
    errors: dict[str, list[str]] = {}
    _walk(expr, ROOT, 1, errors, [0])
    if errors:
        path, messages = next(iter(errors.items()))
        raise ValidationError(f"Invalid expression at {path}: {messages[0]}", errors)


def _fail(errors: dict[str, list[str]], path: str, message: str) -> None:
    errors.setdefault(path, []).append(message)


def _count(errors: dict, counter: list[int], amount: int = 1) -> bool:
    counter[0] += amount
    if counter[0] <= MAX_NODES:
        return True
    if counter[0] - amount <= MAX_NODES:
        _fail(errors, ROOT, f"The expression has more than {MAX_NODES} nodes")
    return False


def _walk(node: Any, path: str, depth: int, errors: dict, counter: list[int]) -> None:
    if counter[0] > MAX_NODES or not _count(errors, counter):
        return
    if isinstance(node, float) and not math.isfinite(node):
        _fail(errors, path, "Numbers must be finite")
        return
    if is_literal(node):
        return
    if isinstance(node, list):
        _fail(errors, path, "A list is only allowed as the second argument of 'in'")
        return
    if not isinstance(node, dict):
        _fail(errors, path, "Only JSON values are allowed")
        return
    if len(node) != 1:
        _fail(errors, path, "An operator is an object with exactly one key")
        return
    op, args = operation(node)
    here = child_path(path, op)
    if op not in OPERATORS:
        _fail(errors, here, f"Unknown operator '{op}'")
        return
    if depth > MAX_DEPTH:
        _fail(errors, here, f"The expression is nested deeper than {MAX_DEPTH} levels")
        return
    low, high = OPERATORS[op]
    if op == "if" and (len(args) < low or len(args) % 2 == 0):
        _fail(errors, here, "'if' takes condition/value pairs and a final else value")
        return
    if len(args) < low or (high is not None and len(args) > high):
        _fail(errors, here, _arity_message(op, low, high, len(args)))
        return
    special = _SPECIAL.get(op)
    if special:
        special(args, here, errors, counter)
        return
    for index, arg in enumerate(args):
        if op == "in" and index == 1 and isinstance(arg, list):
            _walk_list(arg, child_path(here, index), errors, counter)
        else:
            _walk(arg, child_path(here, index), depth + 1, errors, counter)


def _arity_message(op: str, low: int, high: int | None, got: int) -> str:
    if high is None:
        wanted = f"at least {low}"
    elif low == high:
        wanted = str(low)
    else:
        wanted = f"{low} or {high}" if high == low + 1 else f"{low} to {high}"
    noun = "argument" if (high if high is not None else low) == 1 else "arguments"
    return f"'{op}' takes {wanted} {noun}, got {got}"


def _walk_list(items: list, path: str, errors: dict, counter: list[int]) -> None:
    if not _count(errors, counter, len(items)):
        return
    for index, item in enumerate(items):
        if not is_literal(item):
            _fail(errors, child_path(path, index), "A list may hold only plain values")


def _check_var(args: list, path: str, errors: dict, counter: list[int]) -> None:
    if not isinstance(args[0], str) or not args[0]:
        _fail(errors, child_path(path, 0), "'var' needs a field name")
    if len(args) == 2 and not is_literal(args[1]):
        _fail(errors, child_path(path, 1), "The default of 'var' must be a plain value")
    _count(errors, counter, len(args))


def _check_missing(args: list, path: str, errors: dict, counter: list[int]) -> None:
    for index, arg in enumerate(args):
        if not isinstance(arg, str) or not arg:
            _fail(errors, child_path(path, index), "'missing' takes field names")
    _count(errors, counter, len(args))


def _check_alert_level(args: list, path: str, errors: dict, counter: list[int]) -> None:
    if not isinstance(args[0], str) or not args[0]:
        _fail(errors, child_path(path, 0), "'alert_level' needs a rule key")
    _count(errors, counter)


_SPECIAL = {"var": _check_var, "missing": _check_missing, "alert_level": _check_alert_level}


def walk_fields(expr: Any) -> Iterator[str]:
    """Every field name an already validated expression reads."""
    stack = [expr]
    while stack:
        node = stack.pop()
        found = operation(node)
        if found is None:
            continue
        op, args = found
        if op == "var":
            yield args[0]
        elif op == "missing":
            yield from args
        else:
            stack.extend(arg for arg in args if not isinstance(arg, list))
