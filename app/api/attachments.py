"""Uploading and downloading files for attachment and image fields."""

from __future__ import annotations

from flask import current_app, request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.api.common import Id
from app.api.context import current_scope
from app.auth.permissions import require
from app.errors import ValidationError
from app.forms import attachments

blp = Blueprint("attachments", __name__, url_prefix="/api/v1/attachments", description="Files")


class AttachmentOut(Schema):
    id = fields.Int()
    name = fields.Str()
    size = fields.Int()
    content_type = fields.Str()
    sha256 = fields.Str()


class UploadForm(Schema):
    form_id = Id(required=True)
    field = fields.Str(required=True)


@blp.route("")
class Attachments(MethodView):
    @blp.arguments(UploadForm, location="form")
    @blp.response(201, AttachmentOut)
    def post(self, args):
        """Upload one file (multipart field `file`) for a form's file field."""
        scope = current_scope()
        require(scope.user, "records.write")
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise ValidationError("Choose a file.", {"file": ["Missing."]})
        return attachments.upload(
            scope,
            args["form_id"],
            args["field"],
            upload.filename,
            upload.mimetype or "application/octet-stream",
            upload.read(),
            current_app.config["INSTANCE_PATH"],
        )


@blp.route("/<int:attachment_id>")
class AttachmentItem(MethodView):
    @blp.response(200)
    def get(self, attachment_id):
        """Download a file."""
        scope = current_scope()
        require(scope.user, "records.read")
        attachment, path = attachments.open_attachment(
            scope, attachment_id, current_app.config["INSTANCE_PATH"]
        )
        return send_file(
            path,
            mimetype=attachment.content_type,
            as_attachment=True,
            download_name=attachment.name,
        )
