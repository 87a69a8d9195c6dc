"""Uploaded files: checked against the field's limits, stored by content hash on disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.auth.scope import Scope
from app.errors import ValidationError
from app.forms.forms import compiled
from app.models import Attachment
from form_engine.fields import field_type
from form_engine.fields.attachment import AttachmentField


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
    scope: Scope, field: dict, name: str, content_type: str, content: bytes, instance: str
) -> Attachment:
    """Keep a file within the limits of ``field`` (an attachment or image field)."""
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
        )
    )
    scope.session.commit()
    return attachment


def open_attachment(scope: Scope, attachment_id: int, instance: str) -> tuple[Attachment, Path]:
    attachment = scope.get(Attachment, attachment_id, "file")
    return attachment, _path(instance, attachment.sha256)
