"""Writing rows that come from another system into a form: map, then create or update.

A mapping is ``{form field: source}`` where a source is a JSONPath (or a top-level key)
into the incoming row, or ``{"template": "..."}`` rendered in the sandbox with ``row``.
Rows are matched on the key fields (compared as text, e.g. lot number + warehouse): a
new key creates a record, a known one is updated only when a mapped value differs.
Every write goes through the record write path, so validation, audit, events and warning
rules apply exactly as when a person saves the record. Nothing here commits.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa

from app.auth.scope import Scope
from app.errors import ValidationError
from app.forms.forms import compiled
from app.forms.records import get_record, write_record
from connectors import paths, templates


def check_mapping(scope: Scope, form_id: int, mapping: Any, key_fields: Any) -> None:
    """Raise with field paths unless the mapping and key fields fit the published form."""
    _, form = compiled(scope, form_id)
    problems: dict[str, list[str]] = {}
    if not isinstance(mapping, dict) or not mapping:
        problems["mapping"] = ["Map at least one form field."]
        mapping = {}
    for field, source in mapping.items():
        if field not in form.fields or form.fields[field]["type"] == "subtable":
            problems[f"mapping.{field}"] = [f"The form has no field '{field}'."]
        elif isinstance(source, dict) and isinstance(source.get("template"), str):
            try:
                templates.check(source["template"], f"mapping.{field}")
            except ValidationError as exc:
                problems.update(exc.errors)
        elif not isinstance(source, str) or not source:
            problems[f"mapping.{field}"] = ['A JSONPath, a key, or {"template": "..."}.']
    try:
        paths.check_mapping({k: v for k, v in mapping.items() if isinstance(v, str)}, "mapping")
    except ValidationError as exc:
        problems.update(exc.errors)
    for index, key in enumerate(key_fields or []):
        if key not in mapping:
            problems[f"key_fields.{index}"] = [f"'{key}' must be mapped to be a key."]
    if problems:
        raise ValidationError("The field mapping does not fit the form.", problems)


def map_row(row: Any, mapping: dict) -> dict:
    values = {}
    for field, source in mapping.items():
        if isinstance(source, dict):
            values[field] = templates.render_value(
                source["template"], {"row": row}, f"mapping.{field}"
            )
        else:
            values[field] = paths.find(row, source)
    return values


def _same(stored: Any, incoming: Any) -> bool:
    if stored in (None, "") or incoming in (None, ""):
        return stored in (None, "") and incoming in (None, "")
    if isinstance(stored, int | float | Decimal) or isinstance(incoming, int | float | Decimal):
        try:
            return Decimal(str(stored)) == Decimal(str(incoming))
        except InvalidOperation:
            return False
    return str(stored) == str(incoming)


class Upsert:
    """Create or update records of one form by key, as ``scope.user``."""

    def __init__(self, scope: Scope, form_id: int, key_fields: list[str], via: str) -> None:
        self.scope, self.form_id, self.key_fields, self.via = scope, form_id, key_fields, via
        _, self.form = compiled(scope, form_id)
        self._index: dict[tuple, int] | None = None

    def preload(self) -> None:
        """Read every key once, for a batch (one query instead of one per row)."""
        table = self.form.table
        rows = self.scope.session.execute(
            sa.select(table.c.id, *[table.c[k] for k in self.key_fields]).where(
                table.c.tenant_id == self.scope.tenant_id, table.c.deleted_at.is_(None)
            )
        ).all()
        self._index = {tuple(_text(v) for v in row[1:]): row[0] for row in rows}

    def _find(self, values: dict) -> int | None:
        key = tuple(_text(values.get(k)) for k in self.key_fields)
        if self._index is not None:
            return self._index.get(key)
        table = self.form.table
        stmt = sa.select(table.c.id).where(
            table.c.tenant_id == self.scope.tenant_id, table.c.deleted_at.is_(None)
        )
        for name, value in zip(self.key_fields, key, strict=True):
            column = table.c[name]
            if value is None:
                stmt = stmt.where(column.is_(None))
            elif isinstance(column.type, sa.Numeric | sa.Integer):
                try:
                    stmt = stmt.where(column == Decimal(value))
                except InvalidOperation:
                    return None
            elif isinstance(column.type, sa.String):
                stmt = stmt.where(column == value)
            else:
                stmt = stmt.where(sa.cast(column, sa.String) == value)
        return self.scope.session.scalar(stmt.order_by(table.c.id).limit(1))

    def put(self, values: dict, announce: bool = True) -> tuple[str, dict]:
        """('created' | 'updated' | 'unchanged', the record), written through the record
        write path and not committed. A bulk caller passes ``announce=False`` and tells of
        all its rows at once with ``write_records``."""
        record_id = self._find(values) if self.key_fields else None
        if record_id is None:
            record = write_record(
                self.scope, self.form_id, "create", values=values, via=self.via, announce=announce
            )
            if self._index is not None:
                self._index[tuple(_text(values.get(k)) for k in self.key_fields)] = record["id"]
            return "created", record
        current = get_record(self.scope, self.form_id, record_id)
        changed = {k: v for k, v in values.items() if not _same(current.get(k), v)}
        if not changed:
            return "unchanged", current
        record = write_record(
            self.scope,
            self.form_id,
            "update",
            values=changed,
            record_id=record_id,
            row_version=current["_row_version"],
            via=self.via,
            announce=announce,
        )
        return "updated", record


def _text(value: Any) -> str | None:
    """A key value as text, numbers without trailing zeros (120, 120.0, 120.0000 agree)."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
        return str(int(number)) if number == number.to_integral_value() else str(number.normalize())
    return str(value)
