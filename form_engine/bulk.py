"""Many new records validated at once, with exactly what ``values.prepare`` accepts.

Excel import and bulk create hand a batch of rows to a ``BulkPreparer``. It gives each
row the same values and the same problems (same paths, messages and order) as
``values.prepare`` would for that row alone, but does the expensive parts once per batch:
the form is read once into a plan, values are coerced column by column (a field type's
``quick_column`` first, repeated values coerced once), linkage runs the
expression interpreter only when the form has conditions or formulas, names and ids are
looked up with one directory call per field, and the JSON Schema rules are checked column
by column (``column_checks``). It writes nothing; ``bulk_write`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from form_engine.column_checks import Test, column_check, enforced_by_coercion
from form_engine.compiled import CompiledForm
from form_engine.fields import FieldError, field_type
from form_engine.fields.base import SLOW, FieldType
from form_engine.fields.reference import Unresolved
from form_engine.ownership import owning_departments
from form_engine.values import (
    EMPTY,
    Directory,
    Prepared,
    _schema_errors,  # the one-record rule and wording for a value found invalid
    apply_linkage,
    fill_lookups,
    resolve_references,
)

#: values of exactly these types are coerced once per distinct value (equal is identical)
MEMO_TYPES = (str, int, bool, date)
MEMO_LIMIT = 4096
NOT_CHECKED = {"subtable", "attachment", "image"}


@dataclass
class _Field:
    key: str
    field: dict
    kind: FieldType
    #: per input type, value -> what ``kind.coerce`` returned for it, or its FieldError
    memo: dict[type, dict]

    def column(self, values: list) -> list:
        """Each value coerced, or the FieldError that refuses it: the field type's quick
        path first, then ``kind.coerce`` once per distinct plain value."""
        out = self.kind.quick_column(self.field, values) or [SLOW] * len(values)
        kind, field, memo = self.kind, self.field, self.memo
        for index, result in enumerate(out):
            if result is not SLOW:
                continue
            value = values[index]
            seen = memo.get(type(value))
            result = SLOW if seen is None else seen.get(value, SLOW)
            if result is SLOW:
                try:
                    result = kind.coerce(field, value)
                except FieldError as exc:
                    result = exc
                if seen is not None and len(seen) < MEMO_LIMIT:
                    if not isinstance(result, list | dict):  # callers may change those
                        seen[value] = result
            out[index] = result
        return out


class BulkPreparer:
    """Prepares batches of new records of one form; keep one for a whole file."""

    def __init__(self, form: CompiledForm, directory: Directory, today: date) -> None:
        self.form = form
        self.directory = directory
        self.today = today
        fields = form.fields
        self.inputs = {
            k: _Field(k, f, field_type(f), {t: {} for t in MEMO_TYPES})
            for k, f in fields.items()
            if not field_type(f).computed
        }
        self.defaults = _defaults(fields)
        self.linked = _has_linkage(fields)
        self.required = [
            k
            for k, f in fields.items()
            if f.get("required_if", f.get("required", False)) is True and not field_type(f).computed
        ]
        self.checks: list[tuple[str, Any, Test]] = [
            (k, _dumper(f), column_check(field_type(f).json_schema(f)))
            for k, f in fields.items()
            if f["type"] not in NOT_CHECKED and not enforced_by_coercion(f)
        ]
        self.subtables = [k for k, f in fields.items() if f["type"] == "subtable"]

    def prepare(self, rows: list[Any]) -> list[Prepared | dict[str, list[str]]]:
        """For each row, what to store, or its problems by field path."""
        merged_rows: list[dict | None] = []
        errors: list[dict[str, list[str]]] = []
        for data in rows:
            errors.append({} if isinstance(data, dict) else {"_body": ["Not an object."]})
            merged_rows.append({} if isinstance(data, dict) else None)
        self._coerce(rows, merged_rows, errors)
        live = [(m, e) for m, e in zip(merged_rows, errors, strict=True) if m is not None]
        early = fill_lookups(self.form, live, self.directory)
        self._link(live)
        everything = self.form.fields.keys() - early
        resolve_references(self.form, [(m, everything, e) for m, e in live], self.directory)
        self._check(live)
        out = [
            self._prepared(m) if m is not None and not e else e
            for m, e in zip(merged_rows, errors, strict=True)
        ]
        if self.form.meta.get("department_field"):
            ready = [p for p in out if isinstance(p, Prepared)]
            owners = owning_departments(self.form.meta, [p.values for p in ready], self.directory)
            for prepared, department in zip(ready, owners, strict=True):
                prepared.department = department
        return out

    def _coerce(self, rows: list, merged_rows: list, errors: list) -> None:
        """Coerce column by column: each field's quick path, then ``coerce`` for the rest."""
        inputs, fields = self.inputs, self.form.fields
        live = [(i, data) for i, data in enumerate(rows) if merged_rows[i] is not None]
        for i, data in live:
            if not data.keys() <= inputs.keys():
                for key in data:
                    if key not in fields:
                        errors[i].setdefault(key, []).append("Unknown field.")
        for key, entry in inputs.items():
            where = [i for i, data in live if key in data]
            if not where:
                continue
            values = [rows[i][key] for i in where]
            for i, value in zip(where, entry.column(values), strict=True):
                if isinstance(value, FieldError):
                    paths = value.paths or {"": [str(value)]}
                    for path, messages in paths.items():
                        errors[i].setdefault(f"{key}.{path}" if path else key, []).extend(messages)
                else:
                    merged_rows[i][key] = value
        for i, data in live:
            merged = merged_rows[i]
            for key, value in self.defaults:
                if key not in merged:
                    merged[key] = value
            if len(errors[i]) > 1:  # in the order the row gave its fields, as prepare does
                order = {key: n for n, key in enumerate(data)}
                ranked = sorted(errors[i].items(), key=lambda item: order[item[0].split(".")[0]])
                errors[i] = dict(ranked)

    def _link(self, rows: list[tuple[dict, dict]]) -> None:
        if self.linked:
            for merged, errors in rows:
                apply_linkage(self.form, merged, self.today, errors)
            return
        for key in self.required:
            for merged, errors in rows:
                if merged.get(key) in EMPTY:
                    errors.setdefault(key, []).append("This field is required.")

    def _check(self, rows: list[tuple[dict, dict]]) -> None:
        for key, dump, valid in self.checks:
            for merged, errors in rows:
                value = merged.get(key, SLOW)
                if value is SLOW or type(value) is Unresolved:
                    continue  # as in the one-record document
                if not valid(value if dump is None or value is None else dump(value)):
                    _schema_errors(self.form, {key: value}, errors)

    def _prepared(self, merged: dict) -> Prepared:
        if not self.subtables:  # merged holds only the form's fields
            return Prepared(merged, {})
        stored = {k: v for k, v in merged.items() if k not in self.subtables}
        return Prepared(stored, {k: merged.get(k) or [] for k in self.subtables})


def _defaults(fields: dict[str, dict]) -> list[tuple[str, Any]]:
    """Each input field's default, coerced once; a default its field refuses is skipped."""
    out = []
    for key, field in fields.items():
        kind = field_type(field)
        if "default" in field and not kind.computed:
            try:
                out.append((key, kind.coerce(field, field["default"])))
            except FieldError:
                continue
    return out


def _has_linkage(fields: dict[str, dict]) -> bool:
    """Whether any row needs the expression interpreter (formulas or conditions)."""
    for field in fields.values():
        if field["type"] == "formula" or field.get("visible_if") is not None:
            return True
        if not isinstance(field.get("required_if", field.get("required", False)), bool):
            return True
    return False


def _dumper(field: dict):
    """``kind.dump`` bound to the field, or None where dumping changes nothing."""
    kind = field_type(field)
    if type(kind).dump is FieldType.dump:
        return None
    return lambda value: kind.dump(field, value)
