"""A field's JSON Schema rules as a plain function, to check a column of values quickly.

Bulk writes (Excel import, bulk create) check every value of a batch against the field's
own ``json_schema`` fragment here instead of running jsonschema on each record. The
function is built from the fragment itself, so there is still one description of a
field, and it answers exactly what the form's validator answers (``values._schema_errors``):
the same values refused (the message of a refused value still comes from the form's
validator). It understands the keywords field types use for scalar values (``anyOf``,
``type``, ``enum``, ``minimum``, ``maximum``, ``minLength``, ``maxLength``, ``pattern``,
``format``); a fragment with any other keyword (arrays, objects) is handed to jsonschema,
one value at a time. Nothing here coerces.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

Test = Callable[[Any], bool]

SIMPLE = frozenset(
    {"anyOf", "type", "enum", "minimum", "maximum", "minLength", "maxLength", "pattern", "format"}
)
_formats = FormatChecker()


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int)


#: JSON Schema's types as Draft 2020-12 defines them (a bool is not a number)
TYPES: dict[str, Test] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": _is_integer,
    "number": _is_number,
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def is_simple(schema: Any) -> bool:
    """Whether ``schema`` uses only keywords this module evaluates itself."""
    if not isinstance(schema, dict) or not set(schema) <= SIMPLE:
        return False
    kinds = schema.get("type", "string")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if any(k not in TYPES for k in kinds):
        return False
    if "enum" in schema and not all(isinstance(v, str) for v in schema["enum"]):
        return False
    if "format" in schema and not isinstance(schema["format"], str):
        return False
    return all(is_simple(s) for s in schema.get("anyOf", []))


def _both(first: Test, second: Test) -> Test:
    return lambda v: first(v) and second(v)


def schema_test(schema: dict) -> Test:
    """A predicate true exactly when a value is valid under a simple ``schema``."""
    tests: list[Test] = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        checks = [TYPES[k] for k in kinds]
        tests.append(checks[0] if len(checks) == 1 else lambda v: any(t(v) for t in checks))
    if "enum" in schema:
        allowed = frozenset(schema["enum"])
        tests.append(lambda v: isinstance(v, str) and v in allowed)
    if "minimum" in schema:
        low = schema["minimum"]
        tests.append(lambda v: not _is_number(v) or not v < low)
    if "maximum" in schema:
        high = schema["maximum"]
        tests.append(lambda v: not _is_number(v) or not v > high)
    if "minLength" in schema:
        shortest = schema["minLength"]
        tests.append(lambda v: not isinstance(v, str) or len(v) >= shortest)
    if "maxLength" in schema:
        longest = schema["maxLength"]
        tests.append(lambda v: not isinstance(v, str) or len(v) <= longest)
    if "pattern" in schema:
        search = re.compile(schema["pattern"]).search
        tests.append(lambda v: not isinstance(v, str) or search(v) is not None)
    if "format" in schema:
        name = schema["format"]
        tests.append(lambda v: _formats.conforms(v, name))
    if "anyOf" in schema:
        branches = [schema_test(s) for s in schema["anyOf"]]
        tests.append(lambda v: any(t(v) for t in branches))
    if not tests:
        return lambda v: True
    test = tests[0]
    for more in tests[1:]:
        test = _both(test, more)
    return test


#: Field types whose ``coerce`` already enforces every rule of their JSON Schema fragment
#: for the value it returns (a reference once its id is found to exist), so a coerced
#: value needs no check at all. tests/unit/form_engine/test_bulk_validation.py holds each
#: one against jsonschema.
ENFORCED_BY_COERCION: dict[str, Callable[[dict], bool]] = {
    "integer": lambda f: True,  # whole, within +-(2**53 - 1) and min/max
    "rating": lambda f: True,  # whole, 0 to max
    "select": lambda f: True,  # one of the option values
    "radio": lambda f: True,
    "switch": lambda f: True,  # a bool
    "date": lambda f: True,  # a date, dumped as YYYY-MM-DD
    "decimal": lambda f: True,  # scale, precision and min/max; dumped as plain digits
    "money": lambda f: True,
    "percent": lambda f: True,
    "user": lambda f: True,  # an id the directory says exists
    "department": lambda f: True,
    "relation": lambda f: True,
}


def enforced_by_coercion(field: dict) -> bool:
    rule = ENFORCED_BY_COERCION.get(field["type"])
    return rule is not None and rule(field)


def _text_test(schema: dict) -> Test | None:
    """One plain function for the commonest fragment, text or null (bulk checks run it a lot)."""
    if schema.get("type") != "string" or not set(schema) <= {
        "type",
        "maxLength",
        "minLength",
        "pattern",
    }:
        return None
    longest = schema.get("maxLength", float("inf"))
    shortest = schema.get("minLength", 0)
    search = re.compile(schema["pattern"]).search if "pattern" in schema else None

    def valid(value: Any) -> bool:
        if value is None:
            return True
        if not isinstance(value, str) or not shortest <= len(value) <= longest:
            return False
        return search is None or search(value) is not None

    return valid


def column_check(fragment: dict) -> Test:
    """A predicate true exactly when jsonschema finds a field's value valid under ``fragment``.

    The caller asks the form's validator for the message of a value found invalid, so a
    refused value is described exactly as the one-record path describes it.
    """
    branches = fragment.get("anyOf") if set(fragment) == {"anyOf"} else None
    if branches is not None and len(branches) == 2 and branches[1] == {"type": "null"}:
        text = _text_test(branches[0])
        if text is not None:
            return text
    if branches is not None and is_simple(fragment):
        tests = [schema_test(s) for s in branches]
        accepts_null = {"type": "null"} in branches

        def valid(value: Any) -> bool:
            if value is None and accepts_null:
                return True
            return any(test(value) for test in tests)

        return valid
    return Draft202012Validator(fragment, format_checker=_formats).is_valid
