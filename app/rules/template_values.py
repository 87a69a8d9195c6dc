"""The values a rule's message templates may name, as text, in Python and in SQL alike.

A template's ``{{name}}`` is one of the alert's facts (level, title, quantity, remaining
days, warehouse, category, metric) or a field of the record (plus its id and times).
Notifications, robot, SMS and email texts are rendered in Python (``python_values``);
to-dos are written by one INSERT ... SELECT (``sql_facts``, ``sql_record_values``). Each
value reads through ``form_engine.value_text``, with the same field on both sides, so a
to-do and a message about the same record say the same thing; a relation reads as the
title of the record it points at. Nothing here decides who
gets a message.
"""

from __future__ import annotations

from sqlalchemy import Text, cast, func, literal

from app.rules.classify import Classified
from form_engine.compiled import CompiledForm
from form_engine.value_text import text_kind, value_text, value_text_sql

LEVEL_NAMES = {"yellow": "黄牌 Yellow", "red": "红牌 Red", "expired": "已过期 Expired"}
#: columns every record has that a template may name besides its fields
SYSTEM_FIELDS = {
    "id": {"key": "id", "type": "integer"},
    "created_at": {"key": "created_at", "type": "datetime"},
    "updated_at": {"key": "updated_at", "type": "datetime"},
}
DAYS_LEFT = {"key": "days_left", "type": "integer"}
#: the metric is kept as NUMERIC(18, 4) on the alert
METRIC = {"key": "metric", "type": "decimal", "validations": {"scale": 4}}
#: facts kept on the alert as text: they read as they are kept
PLAIN = {"key": "plain", "type": "textarea"}


def record_fields(form: CompiledForm) -> dict[str, dict]:
    """The record's values a template may name, each with the field it reads as."""
    fields = {
        key: field
        for key, field in form.fields.items()
        if key in form.table.c and not field.get("removed") and text_kind(field) is not None
    }
    return {**SYSTEM_FIELDS, **fields}


def _fact_fields(form: CompiledForm, d: dict) -> dict[str, dict | None]:
    """The field each fact reads as; None for a fact the rule does not have."""

    def named(key: str, fallback: dict | None) -> dict | None:
        name = d.get(key)
        return form.fields.get(name, fallback) if name else None

    def place(key: str) -> dict:
        # warehouse and category are kept as text on the alert: choices read by their label
        field = named(key, None)
        return field if field and text_kind(field) == "choice" else PLAIN

    return {
        "title": PLAIN,
        "quantity": named("quantity_field", None),
        "days_left": DAYS_LEFT,
        "warehouse": place("warehouse_field"),
        "category": place("category_field"),
        "metric": METRIC,
    }


def python_values(
    form: CompiledForm, d: dict, level: str, row: Classified, record: dict, titles=None
) -> dict[str, str]:
    """Every placeholder's text for one alert, from its facts and its record's row.

    ``titles(key, id)`` names the record a relation field points at (its title), as the
    database does for to-dos; without it a relation reads as the id."""
    values = {key: value_text(f, record.get(key)) for key, f in record_fields(form).items()}
    for key, field in form.fields.items():
        if field["type"] == "relation" and titles is not None and record.get(key) is not None:
            values[key] = titles(key, record[key]) or ""
    facts = {
        "title": row.title,
        "quantity": record.get(d.get("quantity_field") or "", row.quantity),
        "days_left": row.days_left,
        "warehouse": row.warehouse,
        "category": row.category,
        "metric": row.metric,
    }
    for key, field in _fact_fields(form, d).items():
        values[key] = "" if field is None else value_text(field, facts[key])
    return {**values, "level": level, "level_name": LEVEL_NAMES.get(level, level)}


def sql_facts(form: CompiledForm, d: dict, scan, level: str, dialect: str) -> dict:
    """The facts' texts as SQL over the scan table (``python_values``' facts)."""
    values = {
        key: literal("", Text) if field is None else value_text_sql(field, scan.c[key], dialect)
        for key, field in _fact_fields(form, d).items()
    }
    return {**values, "level": literal(level), "level_name": literal(LEVEL_NAMES.get(level, level))}


def sql_record_values(form: CompiledForm, dialect: str, titles=None) -> dict:
    """The record's values as SQL over the form's table (``python_values``' record part);
    ``titles(key)`` is the SQL of the title a relation field points at."""
    table = form.table
    values = {
        key: value_text_sql(field, table.c[key], dialect)
        for key, field in record_fields(form).items()
    }
    for key, field in form.fields.items():
        if field["type"] == "relation" and titles is not None and key in table.c:
            values[key] = func.coalesce(cast(titles(key), Text), literal("", Text))
    return values
