"""How the expression language's types meet SQL types.

Which language type a column has (from its SQLAlchemy type), which SQL type a literal is
bound as, and how a compiled value is read back so that it matches what the Python
interpreter returns (int for integers, Decimal for decimals, date for dates).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Numeric,
    String,
    types,
)


def field_type(column: ColumnElement) -> str | None:
    """The language's type for a column's SQL type (None when it has no counterpart)."""
    sql_type = column.type
    for kind, field in _FIELD_OF_SQL_TYPE:
        if isinstance(sql_type, kind):
            return field
    return None


class _WholeNumber(types.TypeDecorator):
    """Integer results: PostgreSQL computes them in NUMERIC, Python wants an int."""

    impl = BigInteger
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> int | None:
        return None if value is None else int(value)


class _ExactDecimal(types.TypeDecorator):
    """Decimal results as Decimal; SQLite's floats are read through their shortest repr."""

    impl = Numeric
    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any):
        def process(value: Any) -> Decimal | None:
            if value is None or isinstance(value, Decimal):
                return value
            return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

        return process


_FIELD_OF_SQL_TYPE = (
    (types.Boolean, "boolean"),
    (types.Integer, "integer"),
    (types.Numeric, "decimal"),
    (types.DateTime, "datetime"),
    (types.Date, "date"),
    (types.JSON, "array"),
    (types.String, "string"),
)

RESULT_TYPES = {
    "integer": _WholeNumber(),
    "decimal": _ExactDecimal(),
    "boolean": Boolean(),
    "date": Date(),
    "datetime": DateTime(),
    "string": String(),
    "array": JSON(),
}

LITERAL_TYPES = {
    "boolean": Boolean,
    "integer": BigInteger,
    "decimal": Numeric,
    "string": String,
    "date": Date,
    "datetime": DateTime,
}
