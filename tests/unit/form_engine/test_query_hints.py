"""A filtered list's WHERE clause uses plain comparisons an index can serve, where exact."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.dialects import postgresql

from form_engine import expr
from form_engine.compiled import compile_form
from form_engine.query_hints import index_friendly

FIELDS = [
    {"key": "warehouse", "type": "text", "label": "W"},
    {"key": "expiry", "type": "date", "label": "E"},
    {"key": "qty", "type": "integer", "label": "Q"},
]


def _where(condition) -> str:
    form = compile_form("hints", 1, {"fields": FIELDS}, "t_hints")
    columns = {c.name: c for c in form.table.columns}
    compiled = expr.to_sql(condition, columns, date(2026, 1, 15), "postgresql")
    clause = index_friendly(compiled)
    return str(clause.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def test_each_condition_of_an_and_becomes_its_plain_comparison():
    where = _where(
        {
            "and": [
                {"==": [{"var": "warehouse"}, "east"]},
                {"between": [{"var": "qty"}, 1, 9]},
                {"<=": [{"var": "expiry"}, "2026-02-14"]},
            ]
        }
    )
    assert where == (
        "t_hints.warehouse = 'east' AND 1 <= t_hints.qty AND t_hints.qty <= 9 "
        "AND t_hints.expiry <= '2026-02-14'"
    )


def test_days_until_a_date_field_becomes_a_range_of_the_field():
    where = _where({"<": [{"days_until": [{"var": "expiry"}]}, 30]})
    assert where == "t_hints.expiry < '2026-02-14'"
    mirrored = _where({">=": [7, {"days_until": [{"var": "expiry"}]}]})
    assert mirrored == "t_hints.expiry <= '2026-01-22'"


@pytest.mark.parametrize(
    "condition",
    [
        {"or": [{"<": [{"var": "qty"}, 5]}, {"==": [{"var": "warehouse"}, "x"]}]},
        {"!": {"<": [{"var": "qty"}, 5]}},
        {"==": [{"var": "warehouse"}, None]},
        {"!=": [{"var": "warehouse"}, "east"]},
    ],
)
def test_conditions_without_an_exact_plain_form_stay_never_null(condition):
    where = _where(condition)
    assert "coalesce" in where or "IS NULL" in where or "DISTINCT" in where
