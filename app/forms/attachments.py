"""Uploaded files: checked against the field's limits, stored by content hash on disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import literal, select

from app.auth.scope import Scope
from app.errors import ValidationError
from app.forms.access import access_for
from app.forms.forms import compiled
from app.models import Attachment, Form
from form_engine.access import visible_rows
from form_engine.fields import field_type
from form_engine.fields.attachment import AttachmentField
from form_engine.file_refs import holds_file


def _path(instance: str, digest: str) -> Path:
    folder = Path(instance) / "attachments" / digest[:2]
    folder.mkdir(parents=True, exist_ok=True)
    return folder / digest


def upload(
    scope: Scope,
    form_id: int,
    field_key: str,
    name: str,
    content_type: str,
    content: bytes,
    instance: str,
) -> Attachment:
    _, form = compiled(scope, form_id)
    field = form.fields.get(field_key)
    if not isinstance(field_type(field) if field else None, AttachmentField):
        raise ValidationError("Not a file field.", {"field": [f"'{field_key}' takes no files."]})
    return store(scope, field, name, content_type, content, instance)


def store(
    scope: Scope,
    field: dict,
    name: str,
    content_type: str,
    content: bytes,
    instance: str,
    task_id: int | None = None,
) -> Attachment:
    """Keep a file within the limits of ``field`` (an attachment or image field); with
    ``task_id``, for a decision on that flow task."""
    refusal = field_type(field).allows(field, content_type, len(content))
    if refusal:
        raise ValidationError(refusal, {"file": [refusal]})
    digest = hashlib.sha256(content).hexdigest()
    path = _path(instance, digest)
    if not path.exists():
        path.write_bytes(content)
    attachment = scope.add(
        Attachment(
            name=name[:255],
            content_type=content_type,
            size=len(content),
            sha256=digest,
            created_by=scope.user.id if scope.user else None,
            task_id=task_id,
        )
    )
    scope.session.commit()
    return attachment


def in_visible_record(scope: Scope, attachment_id: int) -> bool:
    """Whether the file is in a record (or a sub-table line of one) the caller may read."""
    if scope.user is None or not scope.user.can("records.read"):
        return False
    access = access_for(scope)
    published = scope.select(Form, Form.id).where(Form.published_version.is_not(None))
    for form_id in scope.session.scalars(published.order_by(Form.id)):
        form = compiled(scope, form_id)[1]
        holds = holds_file(form, attachment_id, access.dialect)
        if holds is None:
            continue
        visible = visible_rows(access, form.table)
        stmt = select(literal(1)).select_from(form.table).where(visible, holds).limit(1)
        if scope.session.execute(stmt).first() is not None:
            return True
    return False


def open_attachment(scope: Scope, attachment_id: int, instance: str) -> tuple[Attachment, Path]:
    attachment = scope.get(Attachment, attachment_id, "file")
    return attachment, _path(instance, attachment.sha256)
