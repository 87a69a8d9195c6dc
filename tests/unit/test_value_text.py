"""A stored value reads the same in a message whether Python or the database words it.

Every field type's values are stored as the platform stores them (coerced, then written
through SQLAlchemy), read back both ways and compared, on SQLite and, when DATABASE_URL
names one, on PostgreSQL too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select

from form_engine.fields import field_type
from form_engine.value_text import value_text, value_text_sql

LABELLED = [
    {"value": "east", "label": {"zh": "华东仓", "en": "East"}},
    {"value": "south"},
]
FIELDS = {
    "name": {"type": "text"},
    "notes": {"type": "textarea"},
    "html": {"type": "richtext"},
    "qty": {"type": "integer"},
    "stars": {"type": "rating"},
    "owner": {"type": "user"},
    "ratio": {"type": "decimal"},
    "weight": {"type": "decimal", "validations": {"scale": 2}},
    "cost": {"type": "money"},
    "price": {"type": "money", "currency_symbol": "$", "validations": {"scale": 6}},
    "share": {"type": "percent"},
    "produced": {"type": "date"},
    "checked_at": {"type": "datetime"},
    "opens": {"type": "time"},
    "sealed": {"type": "switch"},
    "warehouse": {"type": "select", "options": LABELLED},
    "grade": {"type": "radio", "options": LABELLED},
    "tags": {"type": "multiselect", "options": LABELLED},
    "chosen": {"type": "checkbox", "options": [{"value": "a"}, {"value": "b"}]},
    "total": {"type": "formula", "result_type": "decimal", "expression": 1},
    "late": {"type": "formula", "result_type": "boolean", "expression": True},
    "due": {"type": "formula", "result_type": "date", "expression": 1},
    "label": {"type": "formula", "result_type": "string", "expression": "x"},
}
FIELDS = {key: {"key": key, "label": key, **f} for key, f in FIELDS.items()}


@dataclass(frozen=True)
class Kept:
    """A value written as it is, not typed by a user."""

    value: object


#: (field, what a user typed, what a message shows)
VECTORS = [
    ("name", "牛奶 1L", "牛奶 1L"),
    ("notes", "第一行\n第二行", "第一行\n第二行"),
    ("html", "<p>临期</p>", "<p>临期</p>"),
    ("qty", 12, "12"),
    ("qty", -3, "-3"),
    ("qty", 0, "0"),
    ("qty", 9007199254740991, "9007199254740991"),
    ("stars", 4, "4"),
    ("owner", 5, "5"),
    ("ratio", "3.5", "3.500000"),
    ("ratio", 12, "12.000000"),
    ("ratio", "1234567.89", "1234567.890000"),
    ("ratio", "-0.000001", "-0.000001"),
    ("weight", "3.5", "3.50"),
    ("weight", "12", "12.00"),
    ("weight", "1234567.89", "1234567.89"),
    ("cost", "3.5", "¥3.50"),
    ("cost", 12, "¥12.00"),
    ("cost", "1234567.89", "¥1,234,567.89"),
    ("cost", "99999999999.9999", "¥100,000,000,000.00"),
    ("cost", 0, "¥0.00"),
    ("cost", "-1234.5", "¥-1,234.50"),
    ("cost", "0.125", "¥0.12"),  # cents round half to even, as the record list shows them
    ("cost", "0.135", "¥0.14"),
    ("cost", "0.1251", "¥0.13"),
    ("cost", "-0.125", "¥-0.12"),
    ("cost", "-0.001", "¥-0.00"),
    ("price", "0.125001", "$0.13"),
    ("price", "0.125", "$0.12"),
    ("price", "1234567.89", "$1,234,567.89"),
    ("share", "35.5", "35.5%"),
    ("share", 12, "12%"),
    ("share", 1200, "1200%"),
    ("share", 0, "0%"),
    ("share", "-0.25", "-0.25%"),
    ("produced", "2026-01-02", "2026-01-02"),
    ("checked_at", "2026-01-02T03:04:05+08:00", "2026-01-01 19:04:05+00:00"),
    ("checked_at", "2026-07-01T00:00:00Z", "2026-07-01 00:00:00+00:00"),
    ("opens", "08:30", "08:30:00"),
    ("sealed", True, "是"),
    ("sealed", False, "否"),
    ("warehouse", "east", "华东仓"),
    ("warehouse", "south", "south"),
    ("warehouse", Kept("gone"), "gone"),  # stored before its option was removed
    ("grade", "east", "华东仓"),
    ("tags", ["south", "east"], "south, 华东仓"),
    ("tags", ["east"], "华东仓"),
    ("tags", [], ""),
    ("chosen", ["b", "a"], "b, a"),  # options without labels read as their values
    # a formula's value is computed, not typed
    ("total", Kept(Decimal("3.5")), "3.500000"),
    ("total", Kept(Decimal("1234567.89")), "1234567.890000"),
    ("late", Kept(True), "是"),
    ("late", Kept(False), "否"),
    ("due", Kept(date(2026, 3, 4)), "2026-03-04"),
    ("label", Kept("批次 B1"), "批次 B1"),
]


def _urls() -> list[str]:
    urls = ["sqlite://"]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        urls.append("postgresql+psycopg://" + url.split("://", 1)[1])
    return urls


def _stored(key: str, typed):
    if isinstance(typed, Kept):
        return typed.value
    return field_type(FIELDS[key]).coerce(FIELDS[key], typed)


@pytest.fixture(params=_urls(), ids=lambda url: url.split(":")[0].split("+")[0])
def connection(request):
    engine = create_engine(request.param)
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def _table() -> Table:
    columns = [field_type(f).column(f) for f in FIELDS.values()]
    return Table(
        "value_texts",
        MetaData(),
        Column("id", Integer, primary_key=True),
        *columns,
        prefixes=["TEMPORARY"],
    )


def test_each_type_reads_the_same_in_python_and_in_sql(connection):
    table = _table()
    table.create(connection)
    rows = [{"id": i, key: _stored(key, typed)} for i, (key, typed, _) in enumerate(VECTORS)]
    rows.append({"id": len(rows)})  # every field empty
    for row in rows:
        connection.execute(insert(table).values(row))
    dialect = connection.dialect.name
    worded = [value_text_sql(f, table.c[k], dialect).label(f"t_{k}") for k, f in FIELDS.items()]
    found = connection.execute(select(table, *worded).order_by(table.c.id)).mappings().all()

    for (key, typed, expected), row in zip(VECTORS, found, strict=False):
        field = FIELDS[key]
        assert (value_text(field, row[key]), row[f"t_{key}"]) == (expected, expected), (
            key,
            typed,
        )
    for row in found:
        for key, field in FIELDS.items():
            assert value_text(field, row[key]) == row[f"t_{key}"], (key, row["id"])
    assert all(row[f"t_{key}"] == "" for key in FIELDS for row in found[-1:])
