"""A published form version compiled once: tables, JSON Schema validator, field maps.

Compiled forms are cached per (table, version): a version is immutable, so the
validator and table objects can be shared by every request that writes that version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from threading import Lock

from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import Table

from form_engine.fields import field_type
from form_engine.schema import expression_fields
from form_engine.storage import build_tables


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
