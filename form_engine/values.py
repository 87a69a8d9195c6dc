"""From what a user sent to what is stored: coercion, linkage, validation, references.

One pipeline serves the API, bulk create and Excel import, so a value accepted in one
place is accepted everywhere. Problems are collected per field path and raised together.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from engine_errors import ValidationError
from form_engine import lookups
from form_engine.compiled import CompiledForm
from form_engine.fields import FieldError, field_type
from form_engine.fields.attachment import AttachmentField
from form_engine.fields.base import schema_message
from form_engine.fields.reference import ReferenceField, Unresolved
from form_engine.ownership import owning_departments

EMPTY = (None, "", [])


class Directory(Protocol):
    """What the engine cannot know by itself: the tenant's users, departments and files."""

    def existing(self, target: str, ids: set[int]) -> set[int]: ...

    def lookup(self, target: str, texts: set[str]) -> dict[str, int]: ...

    def departments_of(self, target: str, ids: set[int]) -> dict[int, int | None]: ...

    def field_values(self, target: str, ids: set[int], field: str) -> dict[int, Any]: ...

    def attachments(self, ids: set[int]) -> dict[int, dict]: ...


@dataclass
class Prepared:
    values: dict[str, Any]
    children: dict[str, list[dict]]
    #: the department the record belongs to by its form's ``department_field`` (None: the
    #: creator's, or unchanged by a patch); see ``form_engine.ownership``
    department: int | None = None


def dump_value(field: dict, value: Any) -> Any:
    return field_type(field).dump(field, value)


def _coerce_all(form: CompiledForm, data: dict, partial: bool, errors: dict) -> dict:
    values = {}
    for key, value in data.items():
        field = form.fields.get(key)
        if field is None:
            errors.setdefault(key, []).append("Unknown field.")
            continue
        kind = field_type(field)
        if kind.computed:
            continue
        try:
            values[key] = kind.coerce(field, value)
        except FieldError as exc:
            for path, messages in (exc.paths or {"": [str(exc)]}).items():
                errors.setdefault(f"{key}.{path}" if path else key, []).extend(messages)
    if not partial:
        for key, field in form.fields.items():
            if key not in values and "default" in field and not field_type(field).computed:
                try:
                    values[key] = field_type(field).coerce(field, field["default"])
                except FieldError:
                    pass
    return values


def apply_linkage(form: CompiledForm, merged: dict, today: date, errors: dict) -> None:
    """Formulas, then hide what is invisible, then require what is required."""
    for key, field in form.fields.items():
        if field["type"] == "formula":
            from form_engine import expr

            result = expr.evaluate(field["formula"], form.expression_view(merged), today)
            merged[key] = _formula_value(field, result)
    for key, field in form.fields.items():
        condition = field.get("visible_if")
        if condition is not None and not _holds(condition, form, merged, today):
            merged[key] = [] if field["type"] == "subtable" else None
    for key, field in form.fields.items():
        condition = field.get("required_if", field.get("required", False))
        visible = field.get("visible_if") is None or _holds(
            field["visible_if"], form, merged, today
        )
        if visible and _holds(condition, form, merged, today) and merged.get(key) in EMPTY:
            if not field_type(field).computed:
                errors.setdefault(key, []).append("This field is required.")


def _holds(condition: Any, form: CompiledForm, merged: dict, today: date) -> bool:
    if isinstance(condition, bool):
        return condition
    from form_engine import expr

    return expr.evaluate(condition, form.expression_view(merged), today) is True


def _formula_value(field: dict, result: Any) -> Any:
    if result is None:
        return None
    kind = field.get("result_type", "decimal")
    if kind == "decimal":
        return Decimal(str(result))
    if kind == "integer":
        return int(result)
    if kind == "date":
        return result if isinstance(result, date) else date.fromisoformat(str(result))
    if kind == "boolean":
        return bool(result)
    return str(result)


def resolve_references(
    form: CompiledForm, rows: list[tuple[dict, Collection[str], dict]], directory: Directory
) -> None:
    """Turn typed names into ids and check that every id exists, for many rows at once.

    Each row is (merged values, the keys written, its errors); a key that already has an
    error is left alone. References in sub-table lines are checked too, reported at
    ``<sub-table>.<line>.<field>``. The directory is asked once per field, whatever the
    row count.
    """
    for key, field in form.fields.items():
        kind = field_type(field)
        if isinstance(kind, ReferenceField):
            todo = [(m, key, e) for m, keys, e in rows if key in keys and key not in e]
            todo = [(m, path, e) for m, path, e in todo if m.get(key) is not None]
            _resolve_field(key, kind.target(field), todo, directory)
        elif isinstance(kind, AttachmentField):
            todo = [(m, e) for m, keys, e in rows if key in keys and key not in e and m.get(key)]
            _resolve_files(key, todo, directory)
        elif field["type"] == "subtable":
            written = [(m.get(key) or [], e) for m, keys, e in rows if key in keys]
            for child in field.get("fields", []):
                child_kind = field_type(child)
                if child.get("removed") or not isinstance(child_kind, ReferenceField):
                    continue
                name = child["key"]
                todo = [
                    (line, f"{key}.{i}.{name}", e)
                    for lines, e in written
                    for i, line in enumerate(lines)
                    if line.get(name) is not None and f"{key}.{i}.{name}" not in e
                ]
                _resolve_field(name, child_kind.target(child), todo, directory)


def fill_lookups(form: CompiledForm, rows: list[tuple[dict, dict]], directory) -> set[str]:
    """New records' empty ``default_from`` fields copied from their related records
    (``form_engine.lookups``), before linkage; returns the relation fields resolved for it."""
    if not lookups.sources(form.fields):
        return set()
    early = lookups.relations_used(form.fields)
    resolve_references(form, [(m, early, e) for m, e in rows], directory)
    targets = {k: field_type(form.fields[k]).target(form.fields[k]) for k in early}
    lookups.fill(form.fields, rows, directory, targets)
    return early


def _resolve_field(key: str, target: str, rows: list[tuple[dict, str, dict]], directory) -> None:
    """``rows`` are (what holds the value under ``key``, the path to report, errors)."""
    texts = {h[key].text for h, _, _ in rows if isinstance(h[key], Unresolved)}
    found = directory.lookup(target, texts) if texts else {}
    named = []
    for holder, path, errors in rows:
        value = holder[key]
        if isinstance(value, Unresolved):
            if value.text not in found:
                errors.setdefault(path, []).append(f"No match for '{value.text}'.")
                continue
            holder[key] = found[value.text]
        named.append((holder, path, errors))
    present = directory.existing(target, {h[key] for h, _, _ in named}) if named else set()
    for holder, path, errors in named:
        if holder[key] not in present:
            errors.setdefault(path, []).append(f"No record with id {holder[key]}.")


def _resolve_files(key: str, rows: list[tuple[dict, dict]], directory) -> None:
    if not rows:
        return
    facts = directory.attachments({i for m, _ in rows for i in m[key]})
    for merged, errors in rows:
        missing = [i for i in merged[key] if i not in facts]
        if missing:
            errors.setdefault(key, []).append(f"No uploaded file with id {missing[0]}.")
        else:
            merged[key] = [facts[i] for i in merged[key]]


def _schema_errors(form: CompiledForm, merged: dict, errors: dict) -> None:
    document = {
        k: dump_value(form.fields[k], v)
        for k, v in merged.items()
        if k in form.fields
        and form.fields[k]["type"] not in {"subtable", "attachment", "image"}
        and not isinstance(v, Unresolved)
    }
    for error in form.validator.iter_errors(document):
        if error.validator == "required":
            continue  # linkage decides what is required
        path = ".".join(str(p) for p in error.absolute_path) or "_body"
        if path not in errors:
            errors.setdefault(path, []).append(schema_message(error))


def prepare(
    form: CompiledForm, data: Any, directory: Directory, today: date, existing: dict | None = None
) -> Prepared:
    """Turn a create (existing=None) or a patch into the values to store; raise on problems."""
    if not isinstance(data, dict):
        raise ValidationError("A record must be a JSON object.", {"_body": ["Not an object."]})
    errors: dict[str, list[str]] = {}
    partial = existing is not None
    values = _coerce_all(form, data, partial, errors)
    merged = {**(existing or {}), **values}
    early = fill_lookups(form, [(merged, errors)], directory) if not partial else set()
    apply_linkage(form, merged, today, errors)
    changed = {k for k in form.fields if k in values or not partial} - early
    resolve_references(form, [(merged, changed, errors)], directory)
    _schema_errors(form, merged, errors)
    if errors:
        first = next(iter(errors))
        raise ValidationError(f"{first}: {errors[first][0]}", errors)
    stored = {
        k: v for k, v in merged.items() if k in form.fields and form.fields[k]["type"] != "subtable"
    }
    children = {
        k: merged.get(k) or []
        for k, f in form.fields.items()
        if f["type"] == "subtable" and (k in values or not partial)
    }
    owner = form.meta.get("department_field")
    decides = owner is not None and (owner in values or not partial)
    department = owning_departments(form.meta, [stored], directory)[0] if decides else None
    return Prepared(stored, children, department)
