"""How a chart's values read for a person, in their language: choices by their label,
people and departments by name, related records by title, date buckets as 2026-03 or
2026 Q1, levels as 红牌 / Red, an empty group as (空) / (empty); and the headers of the
dimensions and measures.

Names of people and departments come from the platform (``Names``); titles of related
records are read here, one query per dimension. Nothing here changes a value, only how it
reads.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.engine import Connection

from form_engine.chart_definition import ChartSpec, Dimension, Measure
from form_engine.compiled import CompiledForm
from form_engine.date_buckets import as_day, bucket_label, bucket_word
from form_engine.fields import field_type
from form_engine.fields.base import label

EMPTY = {"zh": "(空)", "en": "(empty)"}
LEVEL_LABELS = {
    "green": {"zh": "绿牌", "en": "Green"},
    "yellow": {"zh": "黄牌", "en": "Yellow"},
    "red": {"zh": "红牌", "en": "Red"},
    "expired": {"zh": "已过期", "en": "Expired"},
}
_YES_NO = {"zh": ("是", "否"), "en": ("Yes", "No")}
_COUNT = {"zh": "记录数", "en": "Count"}
_AGGREGATES = {
    "zh": {
        "count": "计数",
        "sum": "合计",
        "avg": "平均",
        "min": "最小",
        "max": "最大",
        "count_distinct": "去重计数",
    },
    "en": {
        "count": "count",
        "sum": "sum",
        "avg": "average",
        "min": "min",
        "max": "max",
        "count_distinct": "distinct count",
    },
}
#: field types whose values are ids of the tenant's people or departments
_NAMED = {"user": "users", "department": "departments"}


class Names(Protocol):
    """What the engine cannot know by itself: the names of the tenant's people and
    departments ("users" / "departments") by id."""

    def titles(self, target: str, ids: set[int]) -> dict[int, str]: ...


def text(texts: dict, locale: str) -> str:
    return texts.get(locale) or texts.get("zh") or texts.get("en") or ""


def dimension_headers(spec: ChartSpec, form: CompiledForm, locale: str) -> list[dict]:
    return [_dimension_header(d, form, locale) for d in spec.dimensions]


def _dimension_header(dimension: Dimension, form: CompiledForm, locale: str) -> dict:
    if dimension.kind == "level":
        rule = dimension.rule_label
        name = text(rule, locale) if isinstance(rule, dict) else str(rule or dimension.rule)
        return {"key": dimension.key, "label": name, "type": "level", "rule": dimension.rule}
    name = label(dimension.field, locale)
    if dimension.kind == "related":
        name = f"{label(form.fields[dimension.source], locale)} · {name}"
    header = {"key": dimension.key, "label": name, "type": dimension.field["type"]}
    if dimension.bucket:
        word = bucket_word(dimension.bucket, locale)
        header.update(
            label=f"{name}（{word}）" if locale == "zh" else f"{name} ({word})",
            type="date",
            bucket=dimension.bucket,
        )
    return header


def measure_headers(spec: ChartSpec, form: CompiledForm, locale: str) -> list[dict]:
    return [{"key": m.key, "label": _measure_label(m, form, locale)} for m in spec.measures]


def _measure_label(measure: Measure, form: CompiledForm, locale: str) -> str:
    if isinstance(measure.label, dict) and text(measure.label, locale):
        return text(measure.label, locale)
    if isinstance(measure.label, str) and measure.label:
        return measure.label
    if measure.agg == "count" and measure.field is None and measure.expr is None:
        return text(_COUNT, locale)
    if measure.field is not None:
        words = _AGGREGATES.get(locale, _AGGREGATES["en"])
        name = label(form.fields[measure.field], locale)
        return f"{name}{words[measure.agg]}" if locale == "zh" else f"{name} ({words[measure.agg]})"
    return measure.key


def labelled_rows(
    conn: Connection,
    spec: ChartSpec,
    rows: list[dict],
    locale: str,
    names: Names,
    tenant_id: int,
) -> list[dict]:
    """``rows`` with each dimension value as ``{"value", "label"}``."""
    readers = {
        d.key: _reader(conn, d, {row[d.key] for row in rows} - {None}, locale, names, tenant_id)
        for d in spec.dimensions
    }
    empty = text(EMPTY, locale)
    out = []
    for row in rows:
        item = dict(row)
        for dimension in spec.dimensions:
            value = row[dimension.key]
            shown = empty if value is None else readers[dimension.key](value)
            item[dimension.key] = {"value": value, "label": shown}
        out.append(item)
    return out


def _reader(conn, dimension: Dimension, values: set, locale: str, names: Names, tenant_id: int):
    """A function from a (non-empty) value of the dimension to its text."""
    if dimension.kind == "level":
        return lambda value: text(LEVEL_LABELS.get(value, {}), locale) or str(value)
    if dimension.bucket:
        return lambda value: bucket_label(as_day(value), dimension.bucket)
    field = dimension.field
    kind = field["type"]
    if kind in _NAMED:
        found = names.titles(_NAMED[kind], {v for v in values if isinstance(v, int)})
        return lambda value: found.get(value, str(value))
    if kind == "relation" and dimension.titles is not None:
        found = record_titles(conn, dimension.titles, field, values, locale, tenant_id)
        return lambda value: found.get(value, str(value))
    if kind == "switch":
        yes, no = _YES_NO.get(locale, _YES_NO["en"])
        return lambda value: yes if value else no
    if kind in ("date", "datetime"):
        return str
    kind_of = field_type(field)

    def read(value: Any) -> str:
        exact = Decimal(str(value)) if isinstance(value, float) else value
        return kind_of.display(field, exact, locale) or str(value)

    return read


def record_titles(
    conn: Connection, form: CompiledForm, relation: dict, ids: set, locale: str, tenant_id: int
) -> dict[int, str]:
    """The titles (the relation's display field) of records of ``form`` by id."""
    display = form.fields.get(relation.get("relation", {}).get("display", ""))
    ids = {i for i in ids if isinstance(i, int) and 0 < i < 2**63}
    if display is None or display["key"] not in form.table.c or not ids:
        return {}
    table = form.table
    rows = conn.execute(
        select(table.c.id, table.c[display["key"]]).where(
            table.c.tenant_id == tenant_id, table.c.id.in_(sorted(ids))
        )
    )
    kind = field_type(display)
    return {ident: kind.display(display, value, locale) for ident, value in rows}
