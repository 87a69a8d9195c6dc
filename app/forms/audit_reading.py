"""The audit log as people read it: what was changed, named, and each change in words.

An entry keeps what the write path saw: a table or ``record:<form key>``, an id, and
``{column or field: [before, after]}``. ``describe`` adds, in the reader's language:

- ``object_label``: the kind of thing ("预警规则", "Batches": a form's own label);
- ``object_title``: which one (a record's title, a rule's label, a person's name), read
  from the entry itself when it created or deleted the thing, else from the live row;
- ``changes``: one line per field, ``{"field", "label", "before", "after"}``, the values
  as the forms show them (an option's label, a related record's title, yes / no); values
  that are settings (JSON) read "changed" and stay in ``diff`` for the details view;
- ``action_label``: created, changed, deleted, restored, imported in bulk...

Rows are read once per table and form for a page of entries, never per entry.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from app.audit.words import ACTIONS, CHANGED, COLUMNS, NO, OBJECTS, OTHER, VALUES, YES
from app.auth.scope import Scope
from app.forms.access import whole_tenant_access
from app.forms.directory import TenantDirectory
from app.forms.forms import compiled
from app.models import AuditEntry, Form
from app.models.base import Base
from form_engine.fields import field_type
from form_engine.fields.reference import ReferenceField

RECORD = "record:"
#: the column that names a row of each table, best first
NAMING = ("display_name", "label", "name", "title", "username", "key", "code")


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(
            value.get(lang) or value.get("zh") or value.get("en") or next(iter(value.values()), "")
        )
    return "" if value is None else str(value)


def _model(table: str):
    for mapper in Base.registry.mappers:
        if getattr(mapper.local_table, "name", None) == table:
            return mapper.class_
    return None


def _name_of(values: dict, lang: str) -> str:
    for column in NAMING:
        if values.get(column) not in (None, ""):
            return _text(values[column], lang)
    return ""


class _Forms:
    """The tenant's forms by key, compiled once, with their records' titles."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        rows = scope.session.scalars(scope.select(Form)).all()
        self.rows = {f.key: f for f in rows}
        self.compiled: dict[str, Any] = {}

    def form(self, key: str):
        row = self.rows.get(key)
        if row is None or row.published_version is None:
            return None
        if key not in self.compiled:
            self.compiled[key] = compiled(self.scope, row.id)[1]
        return self.compiled[key]

    def titles(self, key: str, ids: set[int]) -> dict[int, str]:
        form = self.form(key)
        if form is None or not ids:
            return {}
        title = form.meta.get("title_field")
        if not title:
            return {}
        table = form.table
        stmt = sa.select(table.c.id, table.c[title]).where(
            table.c.id.in_(ids), table.c.tenant_id == self.scope.tenant_id
        )
        return {i: str(t) for i, t in self.scope.session.execute(stmt) if t not in (None, "")}


def describe(scope: Scope, entries: list[AuditEntry], lang: str) -> list[dict]:
    """The entries with their object named and their changes in words (module text)."""
    forms = _Forms(scope)
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.object_id.isdigit():
            wanted[entry.object_type].add(int(entry.object_id))
    names: dict[tuple[str, int], str] = {}
    for kind, ids in wanted.items():
        if kind.startswith(RECORD):
            for i, title in forms.titles(kind[len(RECORD) :], ids).items():
                names[(kind, i)] = title
            continue
        model = _model(kind)
        if model is None:
            continue
        columns = [c for c in NAMING if c in model.__table__.c]
        if not columns:
            continue
        table = model.__table__
        stmt = sa.select(table.c.id, *[table.c[c] for c in columns]).where(
            table.c.id.in_(ids), table.c.tenant_id == scope.tenant_id
        )
        for row in scope.session.execute(stmt):
            names[(kind, row.id)] = _name_of(dict(row._mapping), lang)
    return [_describe(scope, forms, entry, names, lang) for entry in entries]


def _describe(scope: Scope, forms: _Forms, entry: AuditEntry, names: dict, lang: str) -> dict:
    diff = entry.diff or {}
    after = {k: v[1] for k, v in diff.items() if isinstance(v, list) and len(v) == 2}
    before = {k: v[0] for k, v in diff.items() if isinstance(v, list) and len(v) == 2}
    key = int(entry.object_id) if entry.object_id.isdigit() else None
    if entry.object_type.startswith(RECORD):
        form_key = entry.object_type[len(RECORD) :]
        form_row = forms.rows.get(form_key)
        label = _text(form_row.label, lang) if form_row else OTHER[lang]
        changes = _record_changes(scope, forms, form_key, diff, lang)
    else:
        label = _text(OBJECTS.get(entry.object_type), lang) or OTHER[lang]
        changes = _row_changes(diff, lang)
    if entry.action in ("create", "delete"):  # what it was made with, or had: no empty lines
        side = "after" if entry.action == "create" else "before"
        changes = [line for line in changes if line[side]]
    title = names.get((entry.object_type, key)) or _name_of(after, lang) or _name_of(before, lang)
    return {
        "id": entry.id,
        "at": entry.at,
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "action": entry.action,
        "diff": diff,
        "object_label": label,
        "object_title": title,
        "action_label": _text(ACTIONS.get(entry.action), lang) or entry.action,
        "changes": changes,
    }


def _plain(value: Any, lang: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return YES[lang] if value else NO[lang]
    if isinstance(value, dict | list):
        return CHANGED[lang]
    return str(value)


def _row_changes(diff: dict, lang: str) -> list[dict]:
    lines = []
    for column, change in diff.items():
        if not isinstance(change, list) or len(change) != 2:
            continue
        label = _text(COLUMNS.get(column), lang) or _text(COLUMNS["*"], lang)
        lines.append(
            {
                "field": column,
                "label": label,
                "before": _column_value(column, change[0], lang),
                "after": _column_value(column, change[1], lang),
            }
        )
    return lines


def _column_value(column: str, value: Any, lang: str) -> str:
    word = VALUES.get(column, {}).get(value) if isinstance(value, str) else None
    return _text(word, lang) if word else _plain(value, lang)


def _record_changes(scope: Scope, forms: _Forms, form_key: str, diff: dict, lang: str) -> list:
    form = forms.form(form_key)
    fields = form.fields if form is not None else {}
    every = {f["key"]: f for f in (form.meta["fields"] if form is not None else [])}
    titles = _reference_titles(scope, form, diff) if form is not None else {}
    lines = []
    for key, change in diff.items():
        if not isinstance(change, list) or len(change) != 2:
            continue
        field = fields.get(key) or every.get(key)
        if field is None:
            label = _text(COLUMNS.get(key), lang) or _text(COLUMNS["*"], lang)
        else:
            label = _text(field.get("label"), lang) or key
        shown = [_field_value(field, v, titles.get(key, {}), lang) for v in change]
        lines.append({"field": key, "label": label, "before": shown[0], "after": shown[1]})
    return lines


def _reference_titles(scope: Scope, form, diff: dict) -> dict[str, dict[int, str]]:
    directory = TenantDirectory(scope, whole_tenant_access(scope, scope.user))
    found = {}
    for key, change in diff.items():
        field = form.fields.get(key)
        if field is None or not isinstance(change, list):
            continue
        kind = field_type(field)
        ids = {v for v in change if isinstance(v, int) and not isinstance(v, bool)}
        if isinstance(kind, ReferenceField) and ids:
            found[key] = directory.titles(kind.target(field), ids)
    return found


def _field_value(field: dict | None, value: Any, titles: dict[int, str], lang: str) -> str:
    if field is None or value is None or value == "":
        return _plain(value, lang)
    if isinstance(value, int) and value in titles:
        return titles[value]
    options = {str(o["value"]): o.get("label") for o in field.get("options") or []}
    if options:
        values = value if isinstance(value, list) else [value]
        return "、".join(_text(options.get(str(v)), lang) or str(v) for v in values)
    return _plain(value, lang)


def object_types(scope: Scope, lang: str) -> list[dict]:
    """The kinds of things the log names, as a filter offers them: the forms, then the rest."""
    forms = scope.session.scalars(scope.select(Form).order_by(Form.id)).all()
    kinds = [{"value": f"{RECORD}{f.key}", "label": _text(f.label, lang)} for f in forms]
    kinds += [{"value": k, "label": _text(v, lang)} for k, v in OBJECTS.items()]
    return kinds
