"""The compiler from a checked expression to a SQLAlchemy Core expression.

A condition becomes a WHERE clause that selects exactly the rows for which the Python
interpreter says true; a value expression selects what the interpreter computes. Every
condition compiles to a never-null boolean, so NOT and OR behave as in Python. Literals
are bound parameters; dialect differences live in ``sql_dialects``.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Numeric,
    String,
    and_,
    case,
    false,
    func,
    literal,
    not_,
    null,
    or_,
    true,
    type_coerce,
)
from sqlalchemy.sql.expression import Grouping

from engine_errors import ValidationError
from form_engine.expr import values
from form_engine.expr.alert_levels import level_sql
from form_engine.expr.check import Typed, analyse
from form_engine.expr.sql_dialects import RULES
from form_engine.expr.sql_types import LITERAL_TYPES, RESULT_TYPES, field_type
from form_engine.expr.syntax import validate_shape, walk_fields


def to_sql(
    expr: Any,
    columns: Mapping[str, ColumnElement],
    today: date,
    dialect_name: str,
    fields: Mapping[str, str] | None = None,
) -> ColumnElement:
    """``expr`` over ``columns`` (e.g. ``table.c``) as SQL for ``dialect_name``.

    Field types are read from the columns' SQL types unless ``fields`` gives them. Use the
    result in ``select(...).where(...)`` or as a selected value. Operators compile to a
    never-null boolean; a bare ``var`` or ``if`` yields its value, NULL included, exactly
    as ``evaluate`` does (WHERE then treats NULL as false). Negate inside the expression
    (``{"!": expr}``) rather than with SQL NOT.
    """
    rules = RULES.get(dialect_name)
    if rules is None:
        raise ValueError(f"Expressions cannot be compiled for the '{dialect_name}' dialect")
    validate_shape(expr)
    if fields is None:
        names = set(walk_fields(expr))
        found = {name: field_type(columns[name]) for name in names if name in columns}
        fields = {name: kind for name, kind in found.items() if kind}
    typed = analyse(expr, fields)
    unqueryable = sorted(set(walk_fields(expr)) - set(columns.keys()))
    if unqueryable:
        message = f"Field '{unqueryable[0]}' has no column to query"
        raise ValidationError(message, {"$": [message]})
    compiled = _Compiler(columns, fields, today, rules).value(typed)
    if typed.op == "var" or typed.type not in RESULT_TYPES:
        return compiled
    return type_coerce(compiled, RESULT_TYPES[typed.type])


class _Compiler:
    def __init__(
        self,
        columns: Mapping[str, ColumnElement],
        fields: Mapping[str, str],
        today: date,
        rules: Any,
    ) -> None:
        self.columns = columns
        self.fields = fields
        self.today = today
        self.rules = rules

    # -- values (may be NULL) -------------------------------------------------------------

    def value(self, node: Typed) -> ColumnElement:
        if node.op in _CONDITION_METHODS:
            return self.condition(node)
        if node.type == "null" and node.op != "var":
            return null()
        if node.type == "array" and node.op != "var":
            return self.array(node)
        return getattr(self, _VALUE_METHODS[node.op])(node)

    def _literal(self, node: Typed) -> ColumnElement:
        return literal(node.value, LITERAL_TYPES[node.type]())

    def column(self, node: Typed) -> ColumnElement:
        column = self.columns[node.value]
        return func.coalesce(column, self.value(node.args[0])) if node.args else column

    def _today(self, node: Typed) -> ColumnElement:
        return literal(self.today, Date())

    def _arithmetic(self, node: Typed) -> ColumnElement:
        if any(arg.type == "null" for arg in node.args):
            return null()
        operands = [self.number(arg, node.type) for arg in node.args]
        if node.op == "/":
            return self.rules.divide(*operands)
        if node.op == "-" and len(operands) == 1:
            return -operands[0]
        result = operands[0]
        for operand in operands[1:]:
            result = _ARITHMETIC[node.op](result, operand)
        return result

    def number(self, node: Typed, result_type: str) -> ColumnElement:
        expr = self.value(node)
        return self.rules.whole(expr) if result_type == "integer" else expr

    def _choice(self, node: Typed) -> ColumnElement:
        args = node.args
        pairs = range(0, len(args) - 1, 2)
        whens = [(self.condition(args[i]), self.value(args[i + 1])) for i in pairs]
        return case(*whens, else_=self.value(args[-1]))

    def day(self, node: Typed) -> ColumnElement:
        return self.rules.day_number(self.value(node), node.type == "datetime")

    def _days_until(self, node: Typed) -> ColumnElement:
        today = self.rules.day_number(literal(self.today, Date()), False)
        return self.rules.days_between(self.day(node.args[0]), today)

    def _date_diff(self, node: Typed) -> ColumnElement:
        return self.rules.days_between(self.day(node.args[0]), self.day(node.args[1]))

    def _alert_level(self, node: Typed) -> ColumnElement:
        return level_sql(node.value, self.columns)

    def _add_days(self, node: Typed) -> ColumnElement:
        if any(arg.type == "null" for arg in node.args):
            return null()
        return self.rules.add_days(self.day(node.args[0]), self.value(node.args[1]))

    # -- multi-select lists ---------------------------------------------------------------

    def array(self, node: Typed) -> ColumnElement:
        if node.op == "var":
            return self.rules.array(self.column(node))
        if node.op == "missing":
            return self.rules.json_text(self.missing_names(node.value))
        if node.op == "if":
            args = node.args
            pairs = range(0, len(args) - 1, 2)
            whens = [(self.condition(args[i]), self.array(args[i + 1])) for i in pairs]
            return case(*whens, else_=self.array(args[-1]))
        return null()

    def missing_names(self, names: tuple[str, ...]) -> ColumnElement:
        """A JSON array text of the missing names, built from parameters in order."""
        parts = [
            case((self.is_missing(name), literal(json.dumps(name) + ",", String)), else_="")
            for name in names
        ]
        joined = parts[0]
        for part in parts[1:]:
            joined = joined.concat(part)
        return literal("[", String).concat(func.rtrim(joined, ",")).concat("]")

    def is_missing(self, name: str) -> ColumnElement:
        column = self.columns[name]
        kind = self.fields[name]
        if kind == "array":
            return not_(func.coalesce(self.rules.array_nonempty(self.rules.array(column)), false()))
        if kind == "string":
            return or_(column.is_(None), column == "")
        return column.is_(None)

    # -- conditions (never NULL) ----------------------------------------------------------

    def condition(self, node: Typed) -> ColumnElement:
        method = _CONDITION_METHODS.get(node.op)
        if method:
            return getattr(self, method)(node)
        if node.type == "array":
            return func.coalesce(self.rules.array_nonempty(self.array(node)), false())
        if node.type == "null":
            return false()
        if node.op == "literal":
            return true() if node.value else false()
        return func.coalesce(self.value(node), false())

    def _equality(self, node: Typed) -> ColumnElement:
        left, right = node.args
        if left.type == "null" and right.type == "null":
            same = true()
        elif "null" in (left.type, right.type):
            other = right if left.type == "null" else left
            same = self.value(other).is_(None)
        else:
            left_sql, right_sql = self.comparable(node.args, ordered=False)
            same = left_sql.is_not_distinct_from(right_sql)
        return same if node.op == "==" else not_(same)

    def comparable(self, args: tuple[Typed, ...], ordered: bool) -> list[ColumnElement]:
        exprs = [self.value(arg) for arg in args]
        kinds = {arg.type for arg in args}
        if "decimal" in kinds:
            exprs = [
                self._rounded_literal(arg)
                if arg.op == "literal" and arg.type in ("decimal", "integer")
                else self.rules.rounded(expr, values.COMPARE_PLACES)
                for arg, expr in zip(args, exprs, strict=True)
            ]
        elif ordered and "string" in kinds:
            exprs = [self.rules.exact_text(expr) for expr in exprs]
        return exprs

    def _rounded_literal(self, node: Typed) -> ColumnElement:
        """A number written in the expression, rounded here rather than on every row."""
        exact = values.rounded(Decimal(node.value), values.COMPARE_PLACES)
        return literal(exact, Numeric())

    def _ordering(self, node: Typed) -> ColumnElement:
        shifted = self.date_range(node)
        if shifted is not None:
            return shifted
        exprs = self.comparable(node.args, ordered=True)
        if node.op == "between":
            value, low, high = exprs
            test = and_(low <= value, value <= high)
        else:
            compare = _COMPARATORS[node.op]
            test = and_(*(compare(a, b) for a, b in zip(exprs, exprs[1:], strict=False)))
        return func.coalesce(test, false())

    def date_range(self, node: Typed) -> ColumnElement | None:
        """``days_until(date field) < N`` as ``field < today + N``, which an index serves.

        Both select the same rows: a date field's days_until is the field minus today in
        whole days. Only for a date (not datetime) field against a whole-number literal,
        and only when today + N is a date; otherwise None and the general form is used.
        """
        if node.op not in _COMPARATORS or len(node.args) != 2:
            return None
        op, (left, right) = node.op, node.args
        if right.op == "days_until":
            op, left, right = _MIRRORED[op], right, left
        field = left.args[0] if left.op == "days_until" else None
        if field is None or field.op != "var" or field.type != "date" or field.args:
            return None
        if right.op != "literal" or right.type != "integer":
            return None
        try:
            day = self.today + timedelta(days=right.value)
        except OverflowError:
            return None
        compare = _COMPARATORS[op]
        return func.coalesce(compare(self.columns[field.value], literal(day, Date())), false())

    def _logic(self, node: Typed) -> ColumnElement:
        conditions = [self.condition(arg) for arg in node.args]
        # Grouped, because SQLAlchemy renders NOT on SQLite as "= 0" without parentheses.
        if node.op == "and":
            return Grouping(and_(*conditions))
        if node.op == "or":
            return Grouping(or_(*conditions))
        return not_(conditions[0]) if node.op == "!" else conditions[0]

    def _membership(self, node: Typed) -> ColumnElement:
        needle, haystack = node.args
        if node.value == "list":
            if not haystack.args:
                return false()
            exprs = self.comparable((needle, *haystack.args), ordered=False)
            return func.coalesce(or_(*(exprs[0] == item for item in exprs[1:])), false())
        if haystack.type == "null" or needle.type == "null":
            return false()
        if node.value == "element":
            found = self.rules.array_contains(self.array(haystack), self.value(needle))
        else:
            text, part = (self.rules.exact_text(self.value(arg)) for arg in (haystack, needle))
            found = self.rules.contains_text(text, part)
        return func.coalesce(found, false())

    def _starts_with(self, node: Typed) -> ColumnElement:
        if any(arg.type == "null" for arg in node.args):
            return false()
        text, prefix = (self.value(arg) for arg in node.args)
        start = self.rules.exact_text(func.substr(text, 1, func.length(prefix)))
        return func.coalesce(start == prefix, false())


_VALUE_METHODS = {
    "literal": "_literal",
    "var": "column",
    "today": "_today",
    "if": "_choice",
    "days_until": "_days_until",
    "date_diff": "_date_diff",
    "add_days": "_add_days",
    "alert_level": "_alert_level",
}
_VALUE_METHODS |= {op: "_arithmetic" for op in ("+", "-", "*", "/")}

_CONDITION_METHODS = {"==": "_equality", "!=": "_equality", "between": "_ordering"}
_CONDITION_METHODS |= {op: "_ordering" for op in ("<", "<=", ">", ">=")}
_CONDITION_METHODS |= {op: "_logic" for op in ("and", "or", "!", "!!")}
_CONDITION_METHODS |= {"in": "_membership", "starts_with": "_starts_with"}

_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_COMPARATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
