"""Pictures: attachments limited to image types."""

from __future__ import annotations

from form_engine.fields.attachment import AttachmentField


class ImageField(AttachmentField):
    name = "image"
    ui = "image"
    default_accept = ("image/png", "image/jpeg", "image/gif", "image/webp")
