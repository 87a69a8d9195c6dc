"""Saving an expression: a bad one is refused with a message at the path of its fault, and
nothing a user types is ever run as code."""

from __future__ import annotations

import builtins
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import Column, Date, Integer, MetaData, Table, Text

from engine_errors import ValidationError
from form_engine.expr import check, evaluate, fields_used, is_true, to_sql
from form_engine.expr.syntax import MAX_DEPTH, MAX_NODES

FIELDS = {
    "name": "string",
    "qty": "integer",
    "price": "decimal",
    "expiry": "date",
    "received_at": "datetime",
    "tags": "array",
    "active": "boolean",
}
TODAY = date(2026, 11, 25)
QTY, PRICE, EXPIRY = {"var": "qty"}, {"var": "price"}, {"var": "expiry"}


def nested(levels: int) -> dict:
    expr: object = True
    for _ in range(levels):
        expr = {"!": expr}
    return expr


@pytest.mark.parametrize(
    "expr, result_type",
    [
        (QTY, "integer"),
        ({"+": [QTY, 1]}, "integer"),
        ({"+": [QTY, PRICE]}, "decimal"),
        ({"/": [QTY, 2]}, "decimal"),
        ({"<": [EXPIRY, "2026-12-01"]}, "boolean"),
        ({"days_until": [EXPIRY]}, "integer"),
        ({"add_days": [EXPIRY, 3]}, "date"),
        ({"today": []}, "date"),
        ({"missing": ["name", "qty"]}, "array"),
        ({"if": [{"var": "active"}, "yes", "no"]}, "string"),
        ({"if": [{"var": "active"}, QTY, None]}, "integer"),
        ({"if": [{"var": "active"}, QTY, 2.5]}, "decimal"),
        ({"if": [{"var": "active"}, EXPIRY, "2026-12-31"]}, "date"),
        ({"var": ["price", 0]}, "decimal"),
        ("牛奶", "string"),
        (None, "null"),
    ],
)
def test_check_gives_the_result_type(expr, result_type):
    assert check(expr, FIELDS) == result_type


def test_an_error_is_keyed_by_the_path_of_the_faulty_node():
    with pytest.raises(ValidationError) as refused:
        check({"and": [True, {"<": [EXPIRY, 5]}]}, FIELDS)

    assert refused.value.errors == {"and.1.<": ["'<' cannot compare date with integer"]}
    assert "and.1.<" in refused.value.message
    assert refused.value.status == 422


def test_every_fault_is_reported_at_once():
    expr = {"and": [{"var": "nope"}, {">": [{"+": [{"var": "name"}, 1]}, 0]}, {"/": [1, 0]}]}
    with pytest.raises(ValidationError) as refused:
        check(expr, FIELDS)

    assert set(refused.value.errors) == {"and.0.var", "and.1.>.0.+.0", "and.2", "and.2./.1"}
    assert refused.value.errors["and.2./.1"] == ["Division by zero"]
    assert refused.value.errors["and.0.var"] == ["Unknown field 'nope'"]


def test_nesting_is_limited_to_32_levels():
    assert check(nested(MAX_DEPTH), FIELDS) == "boolean"
    with pytest.raises(ValidationError, match="deeper than 32"):
        check(nested(MAX_DEPTH + 1), FIELDS)


def test_a_hostile_depth_is_refused_without_exhausting_the_stack():
    with pytest.raises(ValidationError, match="deeper than 32"):
        evaluate(nested(50_000), {}, TODAY)


def test_size_is_limited_to_10000_nodes():
    # The 'in' node, the 'var' node and its field name are three nodes; the rest are items.
    assert check({"in": [QTY, list(range(MAX_NODES - 3))]}, FIELDS) == "boolean"
    with pytest.raises(ValidationError, match="more than 10000 nodes"):
        check({"in": [QTY, list(range(MAX_NODES - 2))]}, FIELDS)
    with pytest.raises(ValidationError, match="more than 10000 nodes"):
        fields_used({"and": [{"==": [QTY, n]} for n in range(5000)]})


@contextmanager
def no_code_execution():
    """Any call of eval, exec or compile while inside fails the test."""

    def forbidden(*args, **kwargs):
        raise AssertionError("user text must never be run as code")

    saved = builtins.eval, builtins.exec, builtins.compile
    builtins.eval = builtins.exec = builtins.compile = forbidden
    try:
        yield
    finally:
        builtins.eval, builtins.exec, builtins.compile = saved


def test_text_that_looks_like_code_is_refused_or_harmless(tmp_path):
    marker = tmp_path / "pwned"
    as_field = {"var": f"__import__('os').system('touch {marker}')"}
    as_operator = {"__import__": ["os"]}
    columns = Table("t", MetaData(), Column("qty", Integer)).c

    with no_code_execution():
        with pytest.raises(ValidationError, match="Unknown field"):
            check(as_field, FIELDS)
        assert evaluate(as_field, {}, TODAY) is None
        assert evaluate({"var": "__class__"}, {}, TODAY) is None
        with pytest.raises(ValidationError, match="Unknown field"):
            to_sql(as_field, columns, TODAY, "sqlite")
        for run in (
            lambda: check(as_operator, FIELDS),
            lambda: evaluate(as_operator, {}, TODAY),
            lambda: to_sql(as_operator, columns, TODAY, "postgresql"),
            lambda: fields_used(as_operator),
        ):
            with pytest.raises(ValidationError, match="Unknown operator '__import__'"):
                run()
    assert not marker.exists()


def test_evaluating_runs_no_code_for_any_operator():
    exprs = [
        {"if": [{"in": ["a", {"var": "tags"}]}, {"/": [PRICE, 3]}, {"*": [QTY, 2]}]},
        {"and": [{"<=": [{"days_until": [EXPIRY]}, 7]}, {"starts_with": [{"var": "name"}, "牛"]}]},
        {"missing": ["name", "tags"]},
        {"add_days": [{"today": []}, {"-": [QTY]}]},
    ]
    data = {"tags": ["a"], "price": "1", "qty": 3, "expiry": "2026-11-30", "name": "牛奶"}
    with no_code_execution():
        results = [evaluate(expr, data, TODAY, FIELDS) for expr in exprs]
    assert results == [Decimal("0.3333333333"), True, [], date(2026, 11, 22)]


def test_fields_used_lists_every_field_read():
    expr = {"and": [QTY, {"missing": ["name", "expiry"]}, {"in": ["a", ["b", "c"]]}]}
    assert fields_used(expr) == {"qty", "name", "expiry"}


def test_evaluate_checks_types_when_it_knows_them():
    with pytest.raises(ValidationError, match="cannot compare date with integer"):
        evaluate({"<": [EXPIRY, 5]}, {}, TODAY, FIELDS)


def test_evaluate_reads_values_as_they_come_from_the_database():
    tokyo = timezone(timedelta(hours=9))
    data = {
        "expiry": date(2026, 12, 1),
        "price": Decimal("1.5"),
        "received_at": datetime(2026, 11, 25, 9, 0, tzinfo=tokyo),
    }
    assert evaluate({"days_until": [EXPIRY]}, data, TODAY) == 6
    assert evaluate({"+": [PRICE, 1]}, data, TODAY) == Decimal("2.5")
    # An aware datetime is compared in UTC: 09:00 in Tokyo is midnight UTC.
    assert evaluate({"==": [{"var": "received_at"}, "2026-11-25T00:00"]}, data, TODAY) is True
    assert evaluate({"<": [EXPIRY, "2026-12-02"]}, data, TODAY) is True


@pytest.mark.parametrize(
    "value, truth",
    [(True, True), (False, False), (None, False), (["a"], True), ([], False), (1, False)],
)
def test_only_true_and_non_empty_lists_count_as_true(value, truth):
    assert is_true(value) is truth


def test_to_sql_reads_field_types_from_the_columns():
    columns = Table("batches", MetaData(), Column("expiry", Date), Column("name", Text)).c
    with pytest.raises(ValidationError, match="cannot compare date with integer"):
        to_sql({"<": [EXPIRY, 5]}, columns, TODAY, "sqlite")
    with pytest.raises(ValidationError, match="Unknown field 'qty'"):
        to_sql({">": [QTY, 5]}, columns, TODAY, "sqlite")
    with pytest.raises(ValueError, match="oracle"):
        to_sql({"var": "name"}, columns, TODAY, "oracle")
