"""Index-friendly twins of the conditions of a compiled filter.

The expression compiler gives each comparison a never-null form (``coalesce(a <= b,
false)``, ``a IS NOT DISTINCT FROM 'x'``) so that NOT and OR behave as in Python; no
database index serves those forms, so a filtered list would read every row of the tenant.
For each condition of a filter's outer AND, ``implied`` returns the plain comparison the
condition implies (``a <= b``, ``a = 'x'``). Adding them to the WHERE clause selects the
same rows and lets the planner use the fields' indexes. Only the SQL is read here, never
the expression language.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.sql import functions, operators
from sqlalchemy.sql.elements import (
    AsBoolean,
    BinaryExpression,
    BindParameter,
    BooleanClauseList,
    False_,
    Grouping,
    TypeCoerce,
)

COMPARISONS = {operators.eq, operators.lt, operators.le, operators.gt, operators.ge}


def implied(clause: ColumnElement) -> list[ColumnElement]:
    """Plain comparisons that hold for every row ``clause`` selects."""
    hints: list[ColumnElement] = []
    for part in _conjuncts(clause):
        hints += _plain(part)
    return hints


def _unwrap(element):
    while True:
        if isinstance(element, TypeCoerce):
            element = element.clause
        elif isinstance(element, Grouping) or (
            isinstance(element, AsBoolean) and element.operator is operators.is_true
        ):
            element = element.element
        else:
            return element


def _conjuncts(element):
    element = _unwrap(element)
    if isinstance(element, BooleanClauseList) and element.operator is operators.and_:
        for part in element.clauses:
            yield from _conjuncts(part)
    else:
        yield element


def _plain(element) -> list[ColumnElement]:
    if isinstance(element, functions.coalesce):
        args = [_unwrap(a) for a in element.clauses]
        if len(args) == 2 and isinstance(args[1], False_):
            # coalesce(x, false) is true only where x is true
            return [p for p in _conjuncts(args[0]) if _comparison(p)]
        return []
    if isinstance(element, BinaryExpression) and element.operator is operators.is_not_distinct_from:
        left, right = element.left, element.right
        for value, other in ((right, left), (left, right)):
            if isinstance(value, BindParameter) and value.value is not None:
                return [other == value]  # equal to a value that is not null
    return []


def _comparison(element) -> bool:
    return isinstance(element, BinaryExpression) and element.operator in COMPARISONS
