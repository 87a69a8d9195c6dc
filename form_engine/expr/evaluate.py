"""The Python interpreter of the expression language.

It walks the JSON tree and computes a value from a record's data and the date that counts
as today; it must give exactly what the SQL compiler and the browser interpreter give.
It never calls eval, exec or compile, never reads the clock, and never raises on data:
anything that cannot be computed is null.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from form_engine.expr import values
from form_engine.expr.alert_levels import NO_ALERT
from form_engine.expr.check import check
from form_engine.expr.syntax import operation, validate_shape


def evaluate(
    expr: Any,
    data: Mapping[str, Any],
    today: date,
    fields: Mapping[str, str] | None = None,
) -> Any:
    """The value of ``expr`` for one record.

    With ``fields`` (name -> field type) the expression is checked, each data value is read
    as its declared type (ISO text becomes a date, a JSON number of a decimal field a
    Decimal) and the result is returned as the expression's static type. Without it, values
    are taken as they come (dates as date objects or ISO text).
    """
    if isinstance(today, datetime):
        today = today.date()
    if fields is None:
        validate_shape(expr)
        return _Interpreter(data, today, {}).run(expr)
    result_type = check(expr, fields)
    result = _Interpreter(data, today, fields).run(expr)
    return values.coerce(result, result_type) if result_type in values.FIELD_TYPES else result


class _Interpreter:
    def __init__(self, data: Mapping[str, Any], today: date, fields: Mapping[str, str]):
        self.data = data
        self.today = today
        self.fields = fields

    def run(self, node: Any) -> Any:
        found = operation(node)
        if found is None:
            return values.normalise(values.number(node) if isinstance(node, float) else node)
        op, args = found
        return _HANDLERS[op](self, args)

    def read(self, name: str) -> Any:
        value = self.data.get(name)
        field_type = self.fields.get(name)
        return values.coerce(value, field_type) if field_type else values.normalise(value)

    def var(self, args: list) -> Any:
        value = self.read(args[0])
        if value is None and len(args) == 2:
            value = self.run(args[1])
            field_type = self.fields.get(args[0])
            return values.coerce(value, field_type) if field_type else value
        return value

    def missing(self, args: list) -> list[str]:
        return [name for name in args if _is_empty(self.read(name))]

    def truthy(self, node: Any) -> bool:
        return is_true(self.run(node))


def is_true(value: Any) -> bool:
    """Truth in a condition: true or a non-empty list (multi-select, 'missing'); null is false."""
    return value is True or (isinstance(value, list) and len(value) > 0)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if _is_number(value):
        return "number"
    return type(value).__name__


def _as_date(value: Any) -> date | None:
    if isinstance(value, str):
        value = values.parse_date(value) or values.parse_datetime(value)
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _reconcile(left: Any, right: Any) -> tuple[Any, Any] | None:
    """Both operands as values of one kind (an ISO string meets a date), or None."""
    kinds = (_kind(left), _kind(right))
    if kinds[0] == kinds[1]:
        return left, right
    parsers = {"date": values.parse_date, "datetime": values.parse_datetime}
    if kinds[0] == "str" and kinds[1] in parsers:
        parsed = parsers[kinds[1]](left)
        return (parsed, right) if parsed is not None else None
    if kinds[1] == "str" and kinds[0] in parsers:
        parsed = parsers[kinds[0]](right)
        return (left, parsed) if parsed is not None else None
    return None


def compare(left: Any, right: Any) -> int | None:
    """-1, 0 or 1; None when either side is null or the two cannot be ordered."""
    if left is None or right is None:
        return None
    pair = _reconcile(left, right)
    if pair is None or isinstance(pair[0], bool | list) or isinstance(pair[1], bool | list):
        return None
    left, right = pair
    if _is_number(left) and (isinstance(left, Decimal) or isinstance(right, Decimal)):
        left = values.rounded(Decimal(left), values.COMPARE_PLACES)
        right = values.rounded(Decimal(right), values.COMPARE_PLACES)
    return (left > right) - (left < right)


def equal(left: Any, right: Any) -> bool:
    """Null-safe equality: null equals only null."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, list) or isinstance(right, list):
        return left == right
    return compare(left, right) == 0


def _ordered(test: Callable[[int], bool]) -> Callable[[_Interpreter, list], bool]:
    def handler(self: _Interpreter, args: list) -> bool:
        operands = [self.run(arg) for arg in args]
        pairs = zip(operands, operands[1:], strict=False)
        return all((c := compare(a, b)) is not None and test(c) for a, b in pairs)

    return handler


def _between(self: _Interpreter, args: list) -> bool:
    value, low, high = (self.run(arg) for arg in args)
    below, above = compare(low, value), compare(value, high)
    return below is not None and above is not None and below <= 0 and above <= 0


def _in(self: _Interpreter, args: list) -> bool:
    needle = self.run(args[0])
    if needle is None:
        return False
    if isinstance(args[1], list):
        return any(equal(needle, self.run(item)) for item in args[1])
    return _contains(self.run(args[1]), needle)


def _contains(haystack: Any, needle: Any) -> bool:
    if not isinstance(needle, str):
        return False
    if isinstance(haystack, list):
        return needle in haystack
    return isinstance(haystack, str) and needle in haystack


def _starts_with(self: _Interpreter, args: list) -> bool:
    text, prefix = (self.run(arg) for arg in args)
    return isinstance(text, str) and isinstance(prefix, str) and text.startswith(prefix)


def _arithmetic(op: str) -> Callable[[_Interpreter, list], Any]:
    def handler(self: _Interpreter, args: list) -> Any:
        operands = [self.run(arg) for arg in args]
        if not all(_is_number(value) for value in operands):
            return None
        if op == "/":
            return values.divide(*operands)
        if op == "-" and len(operands) == 1:
            operands = [0, operands[0]]
        try:
            return _fold(op, operands)
        except ArithmeticError:
            return None

    return handler


def _fold(op: str, operands: list) -> int | Decimal:
    if all(isinstance(value, int) for value in operands):
        steps = {"+": int.__add__, "-": int.__sub__, "*": int.__mul__}
    else:
        operands = [Decimal(value) for value in operands]
        context = values.DECIMALS
        steps = {"+": context.add, "-": context.subtract, "*": context.multiply}
    result = operands[0]
    for value in operands[1:]:
        result = steps[op](result, value)
    return result


def _if(self: _Interpreter, args: list) -> Any:
    for index in range(0, len(args) - 1, 2):
        if self.truthy(args[index]):
            return self.run(args[index + 1])
    return self.run(args[-1])


def _days_between(later: Any, earlier: Any) -> int | None:
    later, earlier = _as_date(later), _as_date(earlier)
    if later is None or earlier is None:
        return None
    return (later - earlier).days


def _add_days(self: _Interpreter, args: list) -> date | None:
    day, days = _as_date(self.run(args[0])), self.run(args[1])
    if day is None or not isinstance(days, int) or isinstance(days, bool):
        return None
    return values.add_days(day, days)


_HANDLERS: dict[str, Callable[[_Interpreter, list], Any]] = {
    "var": _Interpreter.var,
    "missing": _Interpreter.missing,
    "==": lambda self, args: equal(self.run(args[0]), self.run(args[1])),
    "!=": lambda self, args: not equal(self.run(args[0]), self.run(args[1])),
    "<": _ordered(lambda c: c < 0),
    "<=": _ordered(lambda c: c <= 0),
    ">": _ordered(lambda c: c > 0),
    ">=": _ordered(lambda c: c >= 0),
    "between": _between,
    "and": lambda self, args: all(self.truthy(arg) for arg in args),
    "or": lambda self, args: any(self.truthy(arg) for arg in args),
    "!": lambda self, args: not self.truthy(args[0]),
    "!!": lambda self, args: self.truthy(args[0]),
    "in": _in,
    "contains": lambda self, args: _contains(self.run(args[0]), self.run(args[1])),
    "starts_with": _starts_with,
    "+": _arithmetic("+"),
    "-": _arithmetic("-"),
    "*": _arithmetic("*"),
    "/": _arithmetic("/"),
    "if": _if,
    "today": lambda self, args: self.today,
    "days_until": lambda self, args: _days_between(self.run(args[0]), self.today),
    "date_diff": lambda self, args: _days_between(self.run(args[0]), self.run(args[1])),
    "add_days": _add_days,
    "alert_level": lambda self, args: NO_ALERT,  # the data holds no alerts (see alert_levels)
}
