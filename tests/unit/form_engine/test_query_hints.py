"""A filtered list gets plain comparisons an index can serve, and only implied ones."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.dialects import postgresql

from form_engine import expr
from form_engine.compiled import compile_form
from form_engine.query_hints import implied

FIELDS = [
    {"key": "warehouse", "type": "text", "label": "W"},
    {"key": "expiry", "type": "date", "label": "E"},
    {"key": "qty", "type": "integer", "label": "Q"},
]


def _hints(condition) -> list[str]:
    form = compile_form("hints", 1, {"fields": FIELDS}, "t_hints")
    columns = {c.name: c for c in form.table.columns}
    compiled = expr.to_sql(condition, columns, date(2026, 1, 15), "postgresql")
    dialect = postgresql.dialect()
    return [
        str(h.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        for h in implied(compiled)
    ]


def test_each_condition_of_an_and_gets_its_plain_comparison():
    hints = _hints(
        {
            "and": [
                {"==": [{"var": "warehouse"}, "east"]},
                {"between": [{"var": "qty"}, 1, 9]},
                {"<=": [{"var": "expiry"}, "2026-02-14"]},
            ]
        }
    )
    assert hints == [
        "t_hints.warehouse = 'east'",
        "1 <= t_hints.qty",
        "t_hints.qty <= 9",
        "t_hints.expiry <= '2026-02-14'",
    ]


@pytest.mark.parametrize(
    "condition",
    [
        {"or": [{"<": [{"var": "qty"}, 5]}, {"==": [{"var": "warehouse"}, "x"]}]},
        {"!": {"<": [{"var": "qty"}, 5]}},
        {"==": [{"var": "warehouse"}, None]},
        {"!=": [{"var": "warehouse"}, "east"]},
    ],
)
def test_conditions_that_do_not_imply_a_comparison_add_nothing(condition):
    assert _hints(condition) == []
