"""A filter's WHERE clause in the plain form an index can serve.

The expression compiler gives each comparison a never-null form (``coalesce(a <= b,
false)``, ``a IS NOT DISTINCT FROM 'x'``) so that NOT and OR behave as in Python; no
database index serves those forms, and the planner cannot estimate them, so a filtered
list would read every row of the tenant. In a WHERE clause a row is selected only where
the condition is true, so each condition of the outer AND can be replaced by its plain
twin (``a <= b``, ``a = 'x'``): the same rows are selected, the fields' indexes are
used and row estimates are right. Conditions under NOT or OR are left as they are. Only
the SQL is read here, never the expression language.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_
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


def index_friendly(clause: ColumnElement) -> ColumnElement:
    """``clause`` with each condition of its outer AND in plain form, for WHERE only."""
    return and_(*(_plain(part) for part in _conjuncts(clause)))


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


def _plain(element) -> ColumnElement:
    if isinstance(element, functions.coalesce):
        args = [_unwrap(a) for a in element.clauses]
        if len(args) == 2 and isinstance(args[1], False_):
            # coalesce(x, false) selects exactly the rows x selects
            return and_(*(_plain(part) for part in _conjuncts(args[0])))
        return element
    if isinstance(element, BinaryExpression) and element.operator is operators.is_not_distinct_from:
        left, right = element.left, element.right
        for value, other in ((right, left), (left, right)):
            if isinstance(value, BindParameter) and value.value is not None:
                return other == value  # equal to a value that is not null
    return element
