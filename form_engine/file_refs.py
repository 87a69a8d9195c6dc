"""Which record rows hold an uploaded file: a condition on a form's table over its file
fields and those of its sub-table lines (stored as JSON lists of file facts or ids)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, cast, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB

from form_engine.compiled import CompiledForm
from form_engine.fields import field_type
from form_engine.fields.attachment import AttachmentField


def _file_keys(fields) -> list[str]:
    return [
        f["key"]
        for f in fields
        if not f.get("removed") and isinstance(field_type(f), AttachmentField)
    ]


def _holds(column, attachment_id: int, dialect: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        document = cast(column, JSONB)
        return or_(document.contains([{"id": attachment_id}]), document.contains([attachment_id]))
    item = func.json_each(column).table_valued("value")
    return exists(
        select(literal(1))
        .select_from(item)
        .where(
            or_(
                func.json_extract(item.c.value, "$.id") == attachment_id,
                item.c.value == attachment_id,
            )
        )
    )


def holds_file(form: CompiledForm, attachment_id: int, dialect: str) -> ColumnElement[bool] | None:
    """True for the form's rows that hold the file, or None when the form has no file field."""
    table = form.table
    found = [_holds(table.c[k], attachment_id, dialect) for k in _file_keys(form.fields.values())]
    for key, field in form.fields.items():
        child = form.children.get(key) if field["type"] == "subtable" else None
        inner = (
            [
                _holds(child.c[k], attachment_id, dialect)
                for k in _file_keys(field.get("fields", []))
            ]
            if child is not None
            else []
        )
        if inner:
            found.append(
                exists(
                    select(literal(1))
                    .select_from(child)
                    .where(child.c.parent_id == table.c.id, or_(*inner))
                )
            )
    return or_(*found) if found else None
