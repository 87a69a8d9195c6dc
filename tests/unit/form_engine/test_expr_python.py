"""Every shared vector gives its expected answer in the Python interpreter.

The same file runs in Vitest (browser) and against SQLite/PostgreSQL, so a rule that holds
here holds wherever a condition is evaluated.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from engine_errors import ValidationError
from form_engine.expr import check, evaluate, fields_used
from form_engine.expr.syntax import OPERATORS

VECTORS = json.loads((Path(__file__).parents[2] / "expr_vectors.json").read_text("utf-8"))
FIELDS = VECTORS["fields"]
VALID = [case for case in VECTORS["cases"] if "error" not in case]
ERRORS = [case for case in VECTORS["cases"] if "error" in case]
UNTYPED = [
    case for case in VALID if all(FIELDS[name] != "datetime" for name in fields_used(case["expr"]))
]
SIX = Decimal("0.000001")
CONDITIONS = {"==", "!=", "<", "<=", ">", ">=", "between", "and", "or", "!", "!!", "in"}
CONDITIONS |= {"contains", "starts_with"}


def _name(case: dict) -> str:
    return case["name"]


def _today(case: dict) -> date:
    return date.fromisoformat(case["today"])


def assert_expected(actual, case: dict) -> None:
    """``actual`` is the case's expected value, of the expected Python type."""
    expected, kind = case["expected"], case.get("expected_type")
    if expected is None:
        assert actual is None
    elif kind == "decimal":
        assert isinstance(actual, Decimal), repr(actual)
        assert actual.quantize(SIX) == Decimal(expected).quantize(SIX)
    elif kind == "date":
        assert type(actual) is date and actual.isoformat() == expected
    elif kind == "datetime":
        assert type(actual) is datetime and actual == datetime.fromisoformat(expected)
    else:
        assert type(actual) is type(expected) and actual == expected, repr(actual)


def test_the_vectors_cover_the_language():
    used = set()
    stack = [case["expr"] for case in VALID]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            used.update(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    assert set(OPERATORS) <= used, set(OPERATORS) - used
    assert len(VECTORS["cases"]) >= 170 and len(ERRORS) >= 20


@pytest.mark.parametrize("case", VALID, ids=_name)
def test_vector_evaluates_to_its_expected_value(case):
    check(case["expr"], FIELDS)
    assert_expected(evaluate(case["expr"], case["data"], _today(case), FIELDS), case)


@pytest.mark.parametrize("case", UNTYPED, ids=_name)
def test_vector_gives_the_same_answer_on_raw_json_data(case):
    """Without field types, data straight from JSON (dates as text) reads the same.

    Only datetimes need their declared type: untyped, two texts compare as text, and
    ``2026-11-25 08:30`` is not the text ``2026-11-25T08:30:00``.
    """
    actual = evaluate(case["expr"], case["data"], _today(case))
    expected, kind = case["expected"], case.get("expected_type")
    if kind in ("date", "datetime") and isinstance(actual, str):
        actual = (date if kind == "date" else datetime).fromisoformat(actual)
    if kind == "decimal" and isinstance(actual, int):
        actual = Decimal(actual)
    if kind is None and isinstance(expected, str) and isinstance(actual, date):
        actual = actual.isoformat()
    assert_expected(actual, case)


@pytest.mark.parametrize("case", ERRORS, ids=_name)
def test_error_vector_is_refused_at_save_time(case):
    with pytest.raises(ValidationError) as refused:
        check(case["expr"], FIELDS)
    error = refused.value
    texts = [error.message, *error.errors, *(m for ms in error.errors.values() for m in ms)]
    assert any(case["error"] in text for text in texts), texts


@pytest.mark.parametrize("row", VECTORS["edge_rows"])
def test_a_checked_expression_never_fails_on_data_of_its_types(row):
    """Nulls, empty text, year 1 and year 9999, zero: no expression fails on them."""
    for case in VALID:
        result = evaluate(case["expr"], row, _today(case), FIELDS)
        if isinstance(case["expr"], dict) and set(case["expr"]) <= CONDITIONS:
            assert result is True or result is False, case["name"]
