"""Uploading and downloading files for attachment and image fields and flow decisions."""

from __future__ import annotations

from flask import current_app, request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as MarshmallowError

from app.api.common import Id
from app.api.context import current_scope
from app.auth.permissions import require
from app.errors import Forbidden, ValidationError
from app.flows import decision_files
from app.forms import attachments

blp = Blueprint("attachments", __name__, url_prefix="/api/v1/attachments", description="Files")


class AttachmentOut(Schema):
    id = fields.Int()
    name = fields.Str()
    size = fields.Int()
    content_type = fields.Str()
    sha256 = fields.Str()


class UploadForm(Schema):
    form_id = Id(metadata={"description": "with field: a file for a form's file field"})
    field = fields.Str(validate=validate.Length(min=1, max=64))
    task_id = Id(metadata={"description": "instead: a file for a decision on this flow task"})

    @validates_schema
    def _one_target(self, data, **_) -> None:
        if "task_id" in data:
            if "form_id" in data or "field" in data:
                raise MarshmallowError("Send task_id alone, or form_id with field.", "task_id")
            return
        for key in ("form_id", "field"):
            if key not in data:
                raise MarshmallowError("Missing data for required field.", key)


@blp.route("")
class Attachments(MethodView):
    @blp.arguments(UploadForm, location="form")
    @blp.response(201, AttachmentOut)
    def post(self, args):
        """Upload one file (multipart field `file`) for a form's file field, or for the
        decision the caller is about to make on a flow task."""
        scope = current_scope()
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise ValidationError("Choose a file.", {"file": ["Missing."]})
        file = (
            upload.filename,
            upload.mimetype or "application/octet-stream",
            upload.read(),
            current_app.config["INSTANCE_PATH"],
        )
        if "task_id" in args:
            return decision_files.upload_for_task(scope, args["task_id"], *file)
        require(scope.user, "records.write")
        return attachments.upload(scope, args["form_id"], args["field"], *file)


@blp.route("/<int:attachment_id>")
class AttachmentItem(MethodView):
    @blp.response(200)
    def get(self, attachment_id):
        """Download a file: whoever uploaded it, whoever may read a record holding it, and
        the people of a flow whose decision carries it."""
        scope = current_scope()
        attachment, path = attachments.open_attachment(
            scope, attachment_id, current_app.config["INSTANCE_PATH"]
        )
        if not decision_files.may_read(scope, attachment):
            raise Forbidden(
                "Only people who can see a record or a flow holding this file may download it."
            )
        return send_file(
            path,
            mimetype=attachment.content_type,
            as_attachment=True,
            download_name=attachment.name,
        )
