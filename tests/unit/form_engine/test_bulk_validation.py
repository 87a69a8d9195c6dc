"""Bulk validation answers exactly what one-record validation answers.

Excel import and bulk create validate a batch at a time (``bulk.BulkPreparer``) and check
JSON Schema rules column by column (``column_checks``); a user must never see a value
accepted by one path and refused by the other, or a different message. These tests hold
the fast paths against ``values.prepare`` and jsonschema on many generated rows.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from engine_errors import ValidationError
from form_engine.bulk import BulkPreparer
from form_engine.column_checks import ENFORCED_BY_COERCION, column_check, enforced_by_coercion
from form_engine.compiled import compile_form
from form_engine.fields import FieldError, field_type
from form_engine.fields.reference import ReferenceField, Unresolved
from form_engine.values import dump_value, prepare
from tests.bulk_samples import FIELDS, GOOD, LINKED, OPTIONS, POOLS, TODAY, Directory


def _form(fields: list[dict], name: str):
    return compile_form(name, 1, {"fields": fields}, f"t_{name}")


def _rows(form, count: int, seed: int) -> list:
    rnd = random.Random(seed)
    rows = []
    for _ in range(count):
        if rnd.random() < 0.02:
            rows.append(rnd.choice([None, [], "row", 5]))
            continue
        row = {}
        good = rnd.random() < 0.4
        for key, field in form.fields.items():
            if rnd.random() < 0.15:
                continue  # a column the file does not have
            pool = POOLS[field["type"]]
            row[key] = GOOD[field["type"]] if good and rnd.random() < 0.95 else rnd.choice(pool)
        if rnd.random() < 0.03:
            row["nope"] = 1
        keys = list(row)
        rnd.shuffle(keys)
        rows.append({k: row[k] for k in keys})
    return rows


def _one_by_one(form, row) -> object:
    try:
        return prepare(form, row, Directory(), TODAY)
    except ValidationError as exc:
        return exc.errors


def _same(expected, got) -> None:
    if isinstance(expected, dict):
        assert isinstance(got, dict), got
        assert list(got.items()) == list(expected.items())
        return
    assert not isinstance(got, dict), got
    typed = {k: (type(v), v) for k, v in expected.values.items()}
    assert {k: (type(v), v) for k, v in got.values.items()} == typed
    assert got.children == expected.children


@pytest.mark.parametrize("fields", [FIELDS, LINKED], ids=["plain", "linked"])
@pytest.mark.parametrize("batch", [1, 7, 500])
def test_a_batch_gives_each_row_what_prepare_gives_it(fields, batch):
    form = _form(fields, f"bulk{len(fields)}")
    rows = _rows(form, 1500, seed=len(fields) + batch)
    preparer = BulkPreparer(form, Directory(), TODAY)
    got = [
        o
        for start in range(0, len(rows), batch)
        for o in preparer.prepare(rows[start : start + batch])
    ]
    refused = 0
    for row, outcome in zip(rows, got, strict=True):
        expected = _one_by_one(form, row)
        _same(expected, outcome)
        refused += isinstance(expected, dict)
    assert 0 < refused < len(rows)  # the generated rows exercise both answers


def _schema_problems(key: str, fragment: dict, value) -> list[tuple[str, str]]:
    """What the form's validator reports for one value (values._schema_errors' rule)."""
    validator = Draft202012Validator(
        {"type": "object", "properties": {key: fragment}}, format_checker=FormatChecker()
    )
    problems: list[tuple[str, str]] = []
    for error in validator.iter_errors({key: value}):
        path = ".".join(str(p) for p in error.absolute_path) or "_body"
        if error.validator != "required" and path not in {p for p, _ in problems}:
            problems.append((path, error.message))
    return problems


RAW = [
    None,
    "",
    "a",
    "A" * 300,
    0,
    -1,
    1.5,
    2.0,
    True,
    False,
    [],
    ["a"],
    {"lat": 1},
    Decimal("1.5"),
    "1E-7",
    "2026-02-30",
    "2026-02-28",
    "12:30+08:00",
    "a\x00b",
    2**60,
]


CHECKED = [f for f in LINKED if f["type"] not in {"subtable", "attachment", "image"}]


@pytest.mark.parametrize("field", CHECKED, ids=lambda f: f["key"])
def test_column_checks_report_what_jsonschema_reports(field):
    kind = field_type(field)
    fragment = kind.json_schema(field)
    check = column_check(fragment)
    values = list(RAW)
    for raw in POOLS[field["type"]]:
        try:
            coerced = kind.coerce(field, raw)
        except (FieldError, ValueError):
            continue
        if not isinstance(coerced, Unresolved):
            values.append(dump_value(field, coerced))
    for value in values:
        assert check(value) == (not _schema_problems(field["key"], fragment, value)), value


def _enforced_inputs(field: dict) -> list:
    rnd = random.Random(field["key"])
    numbers = [rnd.uniform(-1e6, 1e6) for _ in range(300)]
    numbers += [rnd.randint(-(2**53), 2**53) for _ in range(300)]
    numbers += [
        Decimal(rnd.randint(-(10**12), 10**12)).scaleb(-rnd.randint(0, 12)) for _ in range(300)
    ]
    numbers += [
        0.0,
        -0.0,
        "-0",
        "0.000001",
        "0.0000001",
        "1e-6",
        -3.5,
        -4,
        1000,
        1e3,
        2**53 - 1,
        -(2**53) + 1,
        "999999999999.9999",
        "0.005",
        "1E+3",
    ]
    texts = [str(n) for n in numbers[:200]]
    days = [date(1, 1, 1), date(9999, 12, 31), datetime(2026, 2, 28, 0, 0)]
    days += [date.fromordinal(rnd.randint(1, 3_000_000)) for _ in range(200)]
    return [*POOLS[field["type"]], *numbers, *texts, *days, *[o["value"] for o in OPTIONS]]


ENFORCED = (
    [f for f in LINKED if f["type"] in ENFORCED_BY_COERCION and enforced_by_coercion(f)]
    + [
        {"key": "scaled", "type": "decimal", "label": "S", "validations": {"scale": s}}
        for s in range(9)
    ]
    + [{"key": "bounded", "type": "integer", "label": "B", "validations": {"min": 0.1, "max": 7}}]
)


@pytest.mark.parametrize("field", ENFORCED, ids=lambda f: f"{f['key']}-{f['type']}")
def test_coercion_enforces_the_schema_of_the_types_left_unchecked(field):
    kind = field_type(field)
    fragment = kind.json_schema(field)
    accepted = 0
    for raw in _enforced_inputs(field):
        try:
            value = kind.coerce(field, raw)
        except (FieldError, ValueError):
            continue
        if isinstance(kind, ReferenceField):
            if isinstance(value, Unresolved) or value not in {1, 2, 10, 100}:
                continue  # only an id the directory found is kept without an error
        accepted += 1
        dumped = dump_value(field, value)
        assert _schema_problems(field["key"], fragment, dumped) == [], (raw, dumped)
    assert accepted
    assert enforced_by_coercion(field)


@pytest.mark.parametrize("scale", [7, 8])
def test_decimals_with_seven_or_eight_places_dump_as_plain_digits(scale):
    field = {"key": "tiny", "type": "decimal", "label": "T", "validations": {"scale": scale}}
    kind = field_type(field)
    for given, shown in (("0", "0." + "0" * scale), ("0.0000001", f"{Decimal('1E-7'):.{scale}f}")):
        dumped = dump_value(field, kind.coerce(field, given))
        assert dumped == shown
        assert column_check(kind.json_schema(field))(dumped)
        assert _schema_problems("tiny", kind.json_schema(field), dumped) == []


def test_a_time_with_an_offset_is_refused_as_before():
    field = {"key": "at", "type": "time", "label": "At"}
    assert not enforced_by_coercion(field)
    form = _form([field], "times")
    outcome = BulkPreparer(form, Directory(), TODAY).prepare([{"at": "12:30+08:00"}])[0]
    assert outcome == _one_by_one(form, {"at": "12:30+08:00"}) and "at" in outcome


@pytest.mark.parametrize("kind", ["text", "textarea", "richtext", "email", "phone"])
def test_text_holding_nul_is_refused_one_by_one_and_in_a_batch(kind):
    """No database stores NUL in text; an import or an ERP pull is told which value."""
    form = _form([{"key": "note", "type": kind, "label": "备注"}], f"nul_{kind}")
    rows = [{"note": "a\x00b"}, {"note": None}]
    [refused, fine] = BulkPreparer(form, Directory(), TODAY).prepare(rows)
    assert refused == {"note": ["Contains the NUL character (\\0)."]}
    assert _one_by_one(form, rows[0]) == refused
    assert not isinstance(fine, dict)
