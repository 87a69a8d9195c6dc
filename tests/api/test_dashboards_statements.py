"""A chart is read by one statement: one that only counts rows, and one compared with its
previous period (both periods in the same statement), on SQLite and PostgreSQL."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.api.test_dashboards_figures import figures, shelf  # noqa: F401 - the fixture

COUNT = {"key": "batches", "agg": "count"}
JANUARY = {"date_from": "2026-01-01", "date_to": "2026-01-31"}


@contextmanager
def statements_reading(app, table_key: str):
    """The SQL statements run meanwhile that read the form's table."""
    seen: list[str] = []

    def heard(conn, cursor, statement, *_):
        if f"_{table_key}" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", heard)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", heard)


@pytest.mark.parametrize(
    ("definition", "filters", "expected"),
    [
        ({"type": "kpi", "measures": [COUNT]}, {}, 5),
        ({"type": "kpi", "measures": [COUNT], "filter": {">": [{"var": "qty"}, 6]}}, {}, 3),
        ({"type": "kpi", "measures": [COUNT], "date_field": "produced"}, JANUARY, 2),
    ],
    ids=["every record", "a filter", "a date range"],
)
def test_a_chart_that_only_counts_rows(shelf, definition, filters, expected):  # noqa: F811
    """No field is named, so the statement reads no column: it still counts the records."""
    result = figures(shelf, definition, filters)
    assert result["rows"] == [{"batches": expected}]
    assert result["totals"] == {"batches": expected}


def test_a_count_by_warehouse_names_no_other_field(shelf):  # noqa: F811
    definition = {"type": "bar", "dimensions": [{"field": "warehouse"}], "measures": [COUNT]}
    result = figures(shelf, definition)
    assert {r["warehouse"]["value"]: r["batches"] for r in result["rows"]} == {
        "east": 2,
        "south": 2,
        None: 1,
    }
    assert result["totals"] == {"batches": 5}


COMPARED = {
    "type": "bar",
    "dimensions": [{"field": "warehouse"}],
    "measures": [
        COUNT,
        {"key": "cost", "agg": "sum", "field": "cost"},
        {"key": "per_batch", "formula": {"/": [{"var": "cost"}, {"var": "batches"}]}},
    ],
    "date_field": "produced",
    "compare": "previous_period",
}


def test_the_previous_period_is_computed_in_the_same_statement(shelf, app):  # noqa: F811
    """January against December: the groups are January's only (south's batch of December
    makes no group), the previous totals December's, and one statement reads them all (on
    SQLite the totals are a second one)."""
    table_key = shelf["form"]["key"]
    with statements_reading(app, table_key) as seen:
        result = figures(shelf, COMPARED, JANUARY)
    assert [(r["warehouse"]["value"], r["batches"], r["cost"]) for r in result["rows"]] == [
        ("east", 2, 3.75)
    ]
    assert result["totals"] == {"batches": 2, "cost": 3.75, "per_batch": 1.875}
    assert result["previous"] == {
        "totals": {"batches": 1, "cost": 3.3333, "per_batch": 3.3333},
        "date_from": "2025-12-01",
        "date_to": "2025-12-31",
    }
    postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    assert len(seen) == (1 if postgres else 2), seen

    kpi = {**COMPARED, "type": "kpi", "dimensions": []}
    with statements_reading(app, table_key) as seen:
        result = figures(shelf, kpi, JANUARY)
    assert result["totals"]["batches"] == 2 and result["previous"]["totals"]["batches"] == 1
    assert len(seen) == 1, seen


def test_a_previous_period_without_records_is_empty_not_missing(shelf):  # noqa: F811
    march = {"date_from": "2026-03-01", "date_to": "2026-03-31"}
    result = figures(shelf, COMPARED, march)
    assert result["rows"] == [] and result["totals"]["batches"] == 0
    # the 31 days before March hold batch B3
    assert result["previous"]["totals"] == {"batches": 1, "cost": 4.0, "per_batch": 4.0}
    assert (result["previous"]["date_from"], result["previous"]["date_to"]) == (
        "2026-01-29",
        "2026-02-28",
    )
