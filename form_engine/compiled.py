"""A published form version compiled once: tables, JSON Schema validator, field maps.

Compiled forms are cached per (table, version): a version is immutable, so the
validator and table objects can be shared by every request that writes that version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from threading import Lock
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import Table

from form_engine.fields import expression_fields, field_type
from form_engine.storage import build_tables

#: field types that can name a record when the form sets no title field
TITLE_TYPES = ("text", "autonumber")


@dataclass(eq=False)
class CompiledForm:
    form_key: str
    version: int
    meta: dict
    table: Table
    children: dict[str, Table]
    fields: dict[str, dict] = field(default_factory=dict)

    @cached_property
    def json_schema(self) -> dict:
        """JSON Schema of a record as the API returns it (and as the browser validates it)."""
        properties = {k: field_type(f).json_schema(f) for k, f in self.fields.items()}
        required = [k for k, f in self.fields.items() if f.get("required")]
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": properties,
            "required": required,
        }

    @cached_property
    def validator(self) -> Draft202012Validator:
        return Draft202012Validator(self.json_schema, format_checker=FormatChecker())

    @cached_property
    def expression_types(self) -> dict[str, str]:
        return expression_fields(list(self.fields.values()))

    def expression_view(self, values: dict[str, Any]) -> dict[str, Any]:
        """Values as the expression language sees them (dates as ISO text, decimals exact)."""
        view = {}
        for key, kind in self.expression_types.items():
            value = values.get(key)
            if isinstance(value, date):
                value = value.isoformat()
            elif kind == "decimal" and value is not None and not isinstance(value, Decimal):
                value = Decimal(str(value))
            view[key] = value
        return view

    @cached_property
    def title_key(self) -> str | None:
        """The field that names a record to people (in a relation, a flow's title): the
        form's title field, else its first text or autonumber field."""
        title = self.meta.get("title_field")
        if title in self.fields:
            return title
        return next((k for k, f in self.fields.items() if f["type"] in TITLE_TYPES), None)

    def label(self, key: str, locale: str = "zh") -> str:
        from form_engine.fields.base import label

        return label(self.fields[key], locale)


_cache: dict[tuple[str, int], CompiledForm] = {}
_lock = Lock()


def compile_form(form_key: str, version: int, meta: dict, table_name: str) -> CompiledForm:
    cache_key = (table_name, version)
    compiled = _cache.get(cache_key)
    if compiled is None:
        table, children = build_tables(meta, table_name)
        active = {f["key"]: f for f in meta["fields"] if not f.get("removed")}
        compiled = CompiledForm(form_key, version, meta, table, children, active)
        with _lock:
            _cache[cache_key] = compiled
    return compiled


def forget(table_name: str) -> None:
    """Drop what was compiled for a form's table: its versions were rolled back (a refused
    app import, an import preview), and the same numbers may come back with other fields."""
    with _lock:
        for cache_key in [k for k in _cache if k[0] == table_name]:
            del _cache[cache_key]
