"""A chart definition checked against its form: what to group by, what to measure
(``chart_measures``), how to filter, sort and cut it, as a ``ChartSpec`` the aggregate
compiler works from.

A definition is JSON a designer saves::

    {"type": "bar", "dimensions": [{"field": "warehouse"}, {"field": "produced",
     "bucket": "month"}, {"field": "sku.category"}, {"alert_level": "<rule key>"}],
     "measures": [{"key": "qty", "agg": "sum", "field": "qty"}, ...], "filter": <condition>,
     "sort": [{"key": "qty", "desc": true}], "limit": 10, "date_field": "produced",
     "compare": "previous_period", "source": "alerts",
     "options": {<the console's display settings>}}

``source`` (optional) reads the alerts raised on the form's records instead of the records
(``chart_sources``); the caller passes that source's form as ``form``.

Every problem is collected with its path inside the definition (``measures.1.field``) and
raised together, so nothing fails later when the chart runs. Nothing here touches the
database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from engine_errors import ValidationError
from form_engine import expr
from form_engine.chart_measures import (
    GROUPABLE,
    TEMPORAL,
    Measure,
    check_measures,
    expression_problems,
    expression_type,
)
from form_engine.chart_sources import SOURCES
from form_engine.compiled import CompiledForm
from form_engine.date_buckets import BUCKETS

CHART_TYPES = (
    *("bar", "stacked_bar", "line", "area", "pie", "donut"),
    *("kpi", "table", "heatmap", "map", "funnel"),
)
MAX_DIMENSIONS = 4
MAX_LIMIT = 1000
COMPARISONS = ("previous_period",)
SETTINGS = {
    *("type", "dimensions", "measures", "filter", "sort", "limit", "date_field", "compare"),
    "source",
}
#: free-form display settings of the console (colours, legend, stacking): stored, not read
DISPLAY = "options"


@dataclass(frozen=True)
class Dimension:
    """What rows are grouped by; ``key`` names it in results.

    ``kind`` is ``field`` (a field of the form, ``bucket`` set for a date bucket),
    ``related`` (``target_field`` of the record ``source`` points at) or ``level`` (the
    record's level under warning rule ``rule``). ``field`` is the metadata of the field
    whose values are grouped; ``titles`` the form whose records those values are (a
    relation), so that they can be shown by title.
    """

    key: str
    kind: str
    source: str | None = None
    field: dict | None = None
    bucket: str | None = None
    target: CompiledForm | None = None
    target_field: str | None = None
    titles: CompiledForm | None = None
    rule: str | None = None
    rule_label: Any = None


@dataclass(frozen=True)
class ChartSpec:
    type: str
    dimensions: tuple[Dimension, ...]
    measures: tuple[Measure, ...]
    filter: Any = None
    #: (key, descending) pairs
    sort: tuple[tuple[str, bool], ...] = ()
    limit: int | None = None
    date_field: str | None = None
    compare: str | None = None

    def dimension(self, key: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.key == key), None)

    @property
    def relations(self) -> dict[str, CompiledForm]:
        """The relation fields the dimensions read through, and the forms they point at."""
        return {d.source: d.target for d in self.dimensions if d.kind == "related"}


def check_chart(
    definition: Any,
    form: CompiledForm,
    forms_by_key: Callable[[str], CompiledForm | None],
    rules: Mapping[str, Any],
) -> ChartSpec:
    """The definition as a ChartSpec, or ValidationError listing every problem by path.

    ``forms_by_key`` gives the published forms relations point at; ``rules`` maps the keys
    of the warning rules that watch ``form`` to their labels (for level dimensions).
    """
    checker = _Checker(form, forms_by_key, rules)
    spec = checker.chart(definition)
    if checker.errors:
        path, messages = next(iter(checker.errors.items()))
        raise ValidationError(f"The chart is not valid: {path}: {messages[0]}", checker.errors)
    return spec


class _Checker:
    def __init__(self, form: CompiledForm, forms_by_key, rules: Mapping[str, Any]) -> None:
        self.form = form
        self.forms_by_key = forms_by_key
        self.rules = rules
        self.errors: dict[str, list[str]] = {}

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def chart(self, definition: Any) -> ChartSpec | None:
        if not isinstance(definition, dict):
            self.fail("$", "A chart definition is an object.")
            return None
        for name in sorted(set(definition) - SETTINGS - {DISPLAY}):
            self.fail(name, "Unknown setting.")
        if definition.get(DISPLAY) is not None and not isinstance(definition[DISPLAY], dict):
            self.fail(DISPLAY, "Display options are an object.")
        source = definition.get("source")
        if source is not None and source not in SOURCES:
            self.fail("source", f"One of {', '.join(SOURCES)}, or null.")
        kind = definition.get("type")
        if kind not in CHART_TYPES:
            self.fail("type", f"One of {', '.join(CHART_TYPES)}.")
        dimensions = self.dimensions(definition.get("dimensions", []))
        measures = check_measures(definition.get("measures"), self.form, self.errors)
        keys = [d.key for d in dimensions]
        for index, item in enumerate(definition.get("measures") or []):
            if isinstance(item, dict) and item.get("key") in keys:
                self.fail(f"measures.{index}.key", "A dimension has this key already.")
        date_field = self.date_field(definition.get("date_field"))
        compare = definition.get("compare")
        if compare is not None and compare not in COMPARISONS:
            self.fail("compare", f"One of {', '.join(COMPARISONS)}, or null.")
        elif compare and date_field is None:
            self.fail("compare", "Comparing with the previous period needs a date_field.")
        names = keys + [m.key for m in measures]
        return ChartSpec(
            type=kind,
            dimensions=tuple(dimensions),
            measures=tuple(measures),
            filter=self.filter(definition.get("filter")),
            sort=self.sort(definition.get("sort", []), names),
            limit=self.limit(definition.get("limit")),
            date_field=date_field,
            compare=compare,
        )

    # -- dimensions -----------------------------------------------------------------------

    def dimensions(self, items: Any) -> list[Dimension]:
        if items is None:
            return []
        if not isinstance(items, list) or len(items) > MAX_DIMENSIONS:
            self.fail("dimensions", f"A list of at most {MAX_DIMENSIONS} dimensions.")
            return []
        found: list[Dimension] = []
        for index, item in enumerate(items):
            dimension = self.dimension(item, f"dimensions.{index}")
            if dimension is None:
                continue
            if any(d.key == dimension.key for d in found):
                self.fail(f"dimensions.{index}", f"'{dimension.key}' is grouped by twice.")
                continue
            found.append(dimension)
        return found

    def dimension(self, item: Any, path: str) -> Dimension | None:
        if not isinstance(item, dict) or len({"field", "alert_level"} & set(item)) != 1:
            self.fail(path, "Give either a field or an alert_level.")
            return None
        unknown = set(item) - {"field", "bucket", "alert_level"}
        if unknown or ("alert_level" in item and "bucket" in item):
            self.fail(path, f"Unknown setting '{sorted(unknown or {'bucket'})[0]}'.")
            return None
        if "alert_level" in item:
            rule = item["alert_level"]
            if not isinstance(rule, str) or rule not in self.rules:
                self.fail(f"{path}.alert_level", f"No warning rule '{rule}' watches this form.")
                return None
            return Dimension(f"level:{rule}", "level", rule=rule, rule_label=self.rules[rule])
        name = item["field"]
        if not isinstance(name, str) or not name:
            self.fail(f"{path}.field", "A field key.")
            return None
        source, target, target_key = name, None, None
        if "." in name:
            source, _, target_key = name.partition(".")
            target = self.related_form(source, target_key, f"{path}.field")
            if target is None:
                return None
        bucket = item.get("bucket")
        field = self.groupable(target or self.form, target_key or name, f"{path}.field")
        if field is None or not self.bucket_fits(field, bucket, path):
            return None
        return Dimension(
            f"{name}:{bucket}" if bucket else name,
            "related" if target else "field",
            source=source,
            field=field,
            bucket=bucket,
            target=target,
            target_field=target_key,
            titles=self.titles(field),
        )

    def related_form(self, source: str, target_key: str, path: str) -> CompiledForm | None:
        """The form the relation field ``source`` points at (one step only)."""
        relation = self.form.fields.get(source)
        if relation is None or relation["type"] != "relation" or "." in target_key:
            self.fail(path, f"'{source}' is not a relation field of this form.")
            return None
        target = self.forms_by_key(relation.get("relation", {}).get("form", ""))
        if target is None:
            self.fail(path, f"The form '{source}' points at is not published.")
        return target

    def groupable(self, form: CompiledForm, key: str, path: str) -> dict | None:
        field = form.fields.get(key)
        if field is None or key not in form.table.c:
            self.fail(path, f"Unknown field '{key}'.")
            return None
        if expression_type(field) not in GROUPABLE:
            self.fail(path, f"A chart cannot group by '{key}' ({field['type']}).")
            return None
        return field

    def bucket_fits(self, field: dict, bucket: Any, path: str) -> bool:
        if bucket is None:
            return True
        if bucket not in BUCKETS:
            self.fail(f"{path}.bucket", f"One of {', '.join(BUCKETS)}.")
            return False
        if expression_type(field) not in TEMPORAL:
            self.fail(f"{path}.bucket", f"'{field['key']}' is not a date: it has no {bucket}.")
            return False
        return True

    def titles(self, field: dict) -> CompiledForm | None:
        """The form whose records a relation field's values are (shown by title)."""
        if field["type"] != "relation":
            return None
        return self.forms_by_key(field.get("relation", {}).get("form", ""))

    # -- the rest -------------------------------------------------------------------------

    def filter(self, condition: Any) -> Any:
        if condition is None:
            return None
        try:
            kind = expr.check(condition, self.form.expression_types)
        except ValidationError as exc:
            self.errors.update(expression_problems(exc, "filter"))
            return None
        if kind not in ("boolean", "array"):
            self.fail("filter", "The filter must be a condition (true or false).")
            return None
        return condition

    def sort(self, items: Any, names: list[str]) -> tuple[tuple[str, bool], ...]:
        if not isinstance(items, list):
            self.fail("sort", "A list of objects with a key and desc.")
            return ()
        found = []
        for index, item in enumerate(items):
            key = item.get("key") if isinstance(item, dict) else None
            if key not in names:
                self.fail(f"sort.{index}.key", f"No measure or dimension '{key}' in this chart.")
            elif not isinstance(item.get("desc", False), bool):
                self.fail(f"sort.{index}.desc", "true or false.")
            else:
                found.append((key, item.get("desc", False)))
        return tuple(found)

    def limit(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LIMIT:
            self.fail("limit", f"A whole number from 1 to {MAX_LIMIT}, or null.")
            return None
        return value

    def date_field(self, key: Any) -> str | None:
        if key is None:
            return None
        field = self.form.fields.get(key) if isinstance(key, str) else None
        if field is None or expression_type(field) not in TEMPORAL:
            self.fail("date_field", f"'{key}' is not a date field of this form.")
            return None
        return key
