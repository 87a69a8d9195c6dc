"""Which record rows hold an uploaded file: a condition on a form's table over its file
fields and those of its sub-table lines (JSON lists of file facts or ids), in the
dialect's own JSON terms (``form_engine.expr.sql_dialects``)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, literal, or_, select

from form_engine.compiled import CompiledForm
from form_engine.expr.sql_dialects import RULES
from form_engine.fields import field_type
from form_engine.fields.attachment import AttachmentField


def _file_keys(fields) -> list[str]:
    return [
        f["key"]
        for f in fields
        if not f.get("removed") and isinstance(field_type(f), AttachmentField)
    ]


def holds_file(form: CompiledForm, attachment_id: int, dialect: str) -> ColumnElement[bool] | None:
    """True for the form's rows that hold the file, or None when the form has no file field."""
    rules = RULES[dialect]

    def holds(column) -> ColumnElement[bool]:
        return rules.array_holds_id(rules.array(column), attachment_id)

    table = form.table
    found = [holds(table.c[k]) for k in _file_keys(form.fields.values())]
    for key, field in form.fields.items():
        child = form.children.get(key) if field["type"] == "subtable" else None
        inner = (
            [holds(child.c[k]) for k in _file_keys(field.get("fields", []))]
            if child is not None
            else []
        )
        if inner:
            lines = select(literal(1)).select_from(child)
            found.append(exists(lines.where(child.c.parent_id == table.c.id, or_(*inner))))
    return or_(*found) if found else None
