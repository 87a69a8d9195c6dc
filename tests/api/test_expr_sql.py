"""Compiled to SQL, every shared vector selects what the Python interpreter computes.

One scratch table holds a row per vector (plus the edge rows); each expression is run over
all rows, so the database must agree with Python not only on the case's own row but on
every other row, nulls and extremes included. Runs on SQLite, and on PostgreSQL when
DATABASE_URL points at one.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    Table,
    Text,
    insert,
    literal_column,
    not_,
    null,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite

from form_engine.expr import check, evaluate, to_sql
from form_engine.expr.values import coerce

VECTORS = json.loads((Path(__file__).parents[1] / "expr_vectors.json").read_text("utf-8"))
FIELDS = VECTORS["fields"]
VALID = [case for case in VECTORS["cases"] if "error" not in case]
SQL_TYPES = {
    "string": Text,
    "integer": Integer,
    "decimal": lambda: Numeric(18, 6),
    "boolean": Boolean,
    "date": Date,
    "datetime": DateTime,
    "array": JSON,
}
SIX = Decimal("0.000001")


def _typed(data: dict) -> dict:
    return {name: coerce(data.get(name), kind) for name, kind in FIELDS.items()}


def _linguistic_collation(engine) -> str | None:
    """On PostgreSQL with ICU, a collation where "a" < "B", to prove text order is by code point."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        found = connection.scalar(
            select(literal_column("collname"))
            .select_from(text("pg_collation"))
            .where(literal_column("collname") == "en-x-icu")
        )
    return found


@pytest.fixture(scope="module")
def vectors_table(app):
    """``(engine, table, {row id: typed data})``; the table is dropped afterwards."""
    from app.extensions import db

    with app.app_context():
        engine = db.engine
        types = {**SQL_TYPES, "string": lambda: Text(collation=_linguistic_collation(engine))}
        metadata = MetaData()
        table = Table(
            f"expr_vectors_{uuid.uuid4().hex[:8]}",
            metadata,
            Column("id", Integer, primary_key=True),
            *(Column(name, types[kind]()) for name, kind in FIELDS.items()),
        )
        metadata.create_all(engine)
        datas = [case["data"] for case in VALID] + VECTORS["edge_rows"]
        rows = {index: _typed(data) for index, data in enumerate(datas)}
        sql_null_tags = len(rows)  # a multi-select that is SQL NULL rather than JSON null
        rows[sql_null_tags] = _typed({"name": "no tags"})
        try:
            with engine.begin() as connection:
                connection.execute(
                    insert(table),
                    [{"id": i, **row} for i, row in rows.items() if i != sql_null_tags],
                )
                connection.execute(
                    insert(table), {"id": sql_null_tags, **rows[sql_null_tags], "tags": null()}
                )
            yield engine, table, rows
        finally:
            metadata.drop_all(engine)


def _same(sql_value, python_value, approximate: bool) -> bool:
    """Equal once each database's way of returning a type is read back as Python's."""
    if python_value is None or sql_value is None:
        return python_value is None and sql_value is None
    if isinstance(python_value, bool):
        return sql_value in (0, 1) and bool(sql_value) is python_value
    if isinstance(python_value, int | Decimal):
        sql_number = Decimal(repr(sql_value)) if isinstance(sql_value, float) else sql_value
        left, right = Decimal(sql_number).quantize(SIX), Decimal(python_value).quantize(SIX)
        # SQLite computes decimals in binary floating point (about 15 significant digits).
        tolerance = abs(right) * Decimal("1e-14") if approximate else 0
        return abs(left - right) <= tolerance
    if isinstance(python_value, datetime):
        return sql_value == python_value
    if isinstance(python_value, date):
        return str(sql_value) == python_value.isoformat()
    if isinstance(python_value, list) and isinstance(sql_value, str):
        return json.loads(sql_value) == python_value
    return sql_value == python_value


def _case_row(case: dict) -> int:
    return VALID.index(case)


@pytest.mark.parametrize("case", VALID, ids=lambda case: case["name"])
def test_vector_in_sql_agrees_with_python(vectors_table, case):
    engine, table, rows = vectors_table
    today = date.fromisoformat(case["today"])
    compiled = to_sql(case["expr"], table.c, today, engine.dialect.name)
    with engine.connect() as connection:
        selected = dict(connection.execute(select(table.c.id, compiled)).all())

    expected = evaluate(case["expr"], case["data"], today, FIELDS)
    approximate = engine.dialect.name == "sqlite"
    assert _same(selected[_case_row(case)], expected, approximate=False), selected[_case_row(case)]
    for row_id, data in rows.items():
        python_value = evaluate(case["expr"], data, today, FIELDS)
        assert _same(selected[row_id], python_value, approximate), (row_id, selected[row_id])


@pytest.mark.parametrize(
    "case",
    [case for case in VALID if check(case["expr"], FIELDS) == "boolean"],
    ids=lambda case: case["name"],
)
def test_vector_as_where_clause_selects_the_rows_python_accepts(vectors_table, case):
    engine, table, rows = vectors_table
    today = date.fromisoformat(case["today"])
    condition = to_sql(case["expr"], table.c, today, engine.dialect.name)
    with engine.connect() as connection:
        chosen = set(connection.scalars(select(table.c.id).where(condition)))
        rest = set(connection.scalars(select(table.c.id).where(not_(condition))))

    accepted = {i for i, data in rows.items() if evaluate(case["expr"], data, today, FIELDS)}
    assert chosen == accepted
    if not {"var", "if"} & set(case["expr"]):
        # Operators never yield NULL, so NOT selects exactly the other rows.
        assert rest == set(rows) - accepted


TEXT_COLUMNS = Table("batches", MetaData(), Column("name", Text)).c


def test_text_is_ordered_by_code_point_whatever_the_column_collation():
    condition = to_sql(
        {"<": [{"var": "name"}, "b"]}, TEXT_COLUMNS, date(2026, 11, 25), "postgresql"
    )
    assert 'COLLATE "C"' in str(condition.compile(dialect=postgresql.psycopg.dialect()))


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.psycopg.dialect()])
def test_literals_travel_as_bound_parameters(dialect):
    hostile = "x'); DROP TABLE batches; --"
    condition = to_sql(
        {"or": [{"==": [{"var": "name"}, hostile]}, {"contains": [{"var": "name"}, hostile]}]},
        TEXT_COLUMNS,
        date(2026, 11, 25),
        dialect.name,
    )
    compiled = condition.compile(dialect=dialect)
    assert "DROP" not in str(compiled)
    assert list(compiled.params.values()).count(hostile) == 2
