"""A chart's measures checked against its form: aggregates (count, sum, average, min, max,
distinct count) of a field, of an expression or of rows, and formulas over other measures,
each typed in the expression language so that formulas and results are exact.

Problems are added to the caller's ``errors`` under their path in the definition
(``measures.1.field``); nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from engine_errors import ValidationError
from form_engine import expr
from form_engine.compiled import CompiledForm
from form_engine.expr.syntax import operation
from form_engine.fields import field_type

AGGREGATES = ("count", "sum", "avg", "min", "max", "count_distinct")
NUMERIC = frozenset({"integer", "decimal"})
TEMPORAL = frozenset({"date", "datetime"})
#: field types (in the expression language) whose values a chart can group by
GROUPABLE = NUMERIC | TEMPORAL | {"string", "boolean"}
MAX_MEASURES = 20
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class Measure:
    """An aggregate (``agg`` over ``field``, over ``expr`` or over rows) or a ``formula``
    over other measures; ``type`` is its value's type in the expression language."""

    key: str
    type: str
    agg: str | None = None
    field: str | None = None
    expr: Any = None
    formula: Any = None
    label: Any = None


def expression_type(field: dict | None) -> str | None:
    """A field's type in the expression language (None: no field, or none there)."""
    return None if field is None else field_type(field).expression_type(field)


def check_measures(items: Any, form: CompiledForm, errors: dict[str, list[str]]) -> list[Measure]:
    """The measures of a definition; problems go to ``errors``."""
    return _Checker(form, errors).measures(items)


def expression_problems(exc: ValidationError, prefix: str) -> dict[str, list[str]]:
    """An expression's problems, at their paths under ``prefix``."""
    found = exc.errors or {"$": [exc.message]}
    return {prefix if path == "$" else f"{prefix}.{path}": msgs for path, msgs in found.items()}


class _Checker:
    def __init__(self, form: CompiledForm, errors: dict[str, list[str]]) -> None:
        self.form = form
        self.errors = errors

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def measures(self, items: Any) -> list[Measure]:
        """The measures, in the definition's order (formulas typed after what they read)."""
        if not isinstance(items, list) or not items or len(items) > MAX_MEASURES:
            self.fail("measures", f"A list of 1 to {MAX_MEASURES} measures.")
            return []
        keys: dict[str, int] = {}
        for index, item in enumerate(items):
            key = item.get("key") if isinstance(item, dict) else None
            if not isinstance(key, str) or not KEY.fullmatch(key):
                self.fail(f"measures.{index}.key", "a-z, 0-9 and _, starting with a letter.")
            elif key in keys:
                self.fail(f"measures.{index}.key", f"Two measures are called '{key}'.")
            else:
                keys[key] = index
        found: dict[int, Measure] = {}
        for index, item in enumerate(items):
            if isinstance(item, dict) and "formula" not in item:
                measure = self.aggregate(item, f"measures.{index}")
                if measure is not None:
                    found[index] = measure
        self.formulas(items, keys, found)
        return [found[i] for i in sorted(found)]

    def aggregate(self, item: dict, path: str) -> Measure | None:
        unknown = set(item) - {"key", "agg", "field", "expr", "label"}
        if unknown:
            self.fail(f"{path}.{sorted(unknown)[0]}", "Unknown setting.")
            return None
        agg = item.get("agg")
        if agg not in AGGREGATES:
            self.fail(f"{path}.agg", f"One of {', '.join(AGGREGATES)} (or give a formula).")
            return None
        if "field" in item and "expr" in item:
            self.fail(path, "Give a field or an expression, not both.")
            return None
        value_type = self.measured(item, agg, path)
        if value_type is None:
            return None
        allowed = _AGGREGATED.get(agg)
        if allowed is not None and value_type not in allowed:
            where = f"{path}.field" if "field" in item else f"{path}.expr"
            self.fail(where, f"Cannot take {_TAKEN[agg]} of {_NOUNS.get(value_type, value_type)}.")
            return None
        return Measure(
            item["key"],
            _result_type(agg, value_type),
            agg=agg,
            field=item.get("field"),
            expr=item.get("expr"),
            label=item.get("label"),
        )

    def measured(self, item: dict, agg: str, path: str) -> str | None:
        """The type of the values a measure aggregates ("rows" when it counts rows)."""
        if "expr" in item:
            try:
                kind = expr.check(item["expr"], self.form.expression_types)
            except ValidationError as exc:
                self.errors.update(expression_problems(exc, f"{path}.expr"))
                return None
            if reads_levels(item["expr"]):
                self.fail(f"{path}.expr", "A measure cannot read alert levels.")
                return None
            return kind
        if "field" not in item:
            if agg == "count":
                return "rows"
            self.fail(f"{path}.field", f"Say which field to take {_TAKEN[agg]} of.")
            return None
        key = item["field"]
        field = self.form.fields.get(key) if isinstance(key, str) else None
        if field is None or key not in self.form.table.c:
            self.fail(f"{path}.field", f"Unknown field '{key}'.")
            return None
        kind = expression_type(field)
        if kind is None or kind == "array":
            self.fail(f"{path}.field", f"Cannot measure '{key}' ({field['type']}).")
            return None
        return kind

    def formulas(self, items: list, keys: dict[str, int], found: dict[int, Measure]) -> None:
        """Formulas over other measures, in the order they need each other."""
        pending = {
            i: item for i, item in enumerate(items) if isinstance(item, dict) and "formula" in item
        }
        for index, item in pending.items():
            unknown = set(item) - {"key", "formula", "label"}
            if unknown:
                self.fail(f"measures.{index}.{sorted(unknown)[0]}", "Unknown setting.")
        pending = {
            i: item for i, item in pending.items() if set(item) <= {"key", "formula", "label"}
        }
        while pending:
            progressed = False
            for index, item in list(pending.items()):
                names = self.formula_names(item["formula"], f"measures.{index}.formula")
                if names is None:
                    del pending[index]
                    progressed = True
                    continue
                missing = [n for n in names if n not in keys or keys[n] == index]
                if missing:
                    self.fail(f"measures.{index}.formula", f"No measure '{missing[0]}'.")
                    del pending[index]
                    progressed = True
                    continue
                if any(keys[n] in pending for n in names):
                    continue  # needs a formula not typed yet
                if all(keys[n] in found for n in names):
                    types = {n: found[keys[n]].type for n in names}
                    measure = self.formula(item, index, types)
                    if measure is not None:
                        found[index] = measure
                del pending[index]
                progressed = True
            if not progressed:
                for index in pending:
                    self.fail(
                        f"measures.{index}.formula", "Formulas refer to each other in a circle."
                    )
                return

    def formula_names(self, formula: Any, path: str) -> list[str] | None:
        try:
            names = sorted(expr.fields_used(formula))
        except ValidationError as exc:
            self.errors.update(expression_problems(exc, path))
            return None
        if reads_levels(formula):
            self.fail(path, "A formula reads measures only.")
            return None
        return names

    def formula(self, item: dict, index: int, types: dict[str, str]) -> Measure | None:
        path = f"measures.{index}.formula"
        try:
            kind = expr.check(item["formula"], types)
        except ValidationError as exc:
            self.errors.update(expression_problems(exc, path))
            return None
        if kind not in NUMERIC:
            self.fail(path, f"A formula gives a number, not {_NOUNS.get(kind, kind)}.")
            return None
        return Measure(item["key"], kind, formula=item["formula"], label=item.get("label"))


#: the value types each aggregate accepts (None: any)
_AGGREGATED = {
    "count": None,
    "count_distinct": GROUPABLE,
    "sum": NUMERIC,
    "avg": NUMERIC,
    "min": NUMERIC | TEMPORAL,
    "max": NUMERIC | TEMPORAL,
}
#: how messages name values and aggregates (phrases, so that no key reads the same)
_NOUNS = {
    "string": "text values",
    "boolean": "yes/no values",
    "date": "date values",
    "datetime": "date and time values",
    "array": "list values",
    "null": "no value",
}
_TAKEN = {
    "sum": "a sum",
    "avg": "an average",
    "min": "a minimum",
    "max": "a maximum",
    "count_distinct": "a distinct count",
}


def _result_type(agg: str, value_type: str) -> str:
    if agg in ("count", "count_distinct"):
        return "integer"
    if agg == "avg":
        return "decimal"
    return value_type


def reads_levels(expression: Any) -> bool:
    stack = [expression]
    while stack:
        found = operation(stack.pop())
        if found is None:
            continue
        op, args = found
        if op == "alert_level":
            return True
        stack.extend(arg for arg in args if not isinstance(arg, list))
    return False
