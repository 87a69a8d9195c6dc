"""The audit log, for administrators: each entry named and its changes in the reader's
language (``app.forms.audit_reading``), the raw difference kept for the details view."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.api.common import Id, PageArgs, list_of, page_of
from app.api.context import current_scope
from app.api.errors import caller_language
from app.audit.queries import list_entries
from app.auth.permissions import require
from app.forms.audit_reading import describe, object_types
from app.models import AuditEntry

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="Audit log")


class AuditChange(Schema):
    field = fields.Str()
    label = fields.Str(metadata={"description": "the field's label in the reader's language"})
    before = fields.Str(metadata={"description": "the value as the form shows it"})
    after = fields.Str()


class AuditOut(Schema):
    id = fields.Int()
    at = fields.DateTime()
    actor_id = fields.Int(allow_none=True)
    actor_name = fields.Str()
    object_type = fields.Str()
    object_id = fields.Str()
    action = fields.Str()
    diff = fields.Dict(metadata={"description": "{field: [before, after]} as stored"})
    object_label = fields.Str(metadata={"description": "the kind of thing, e.g. the form"})
    object_title = fields.Str(metadata={"description": "which one: a record's title, a name"})
    action_label = fields.Str()
    changes = fields.List(fields.Nested(AuditChange))


class AuditQuery(PageArgs):
    object_type = fields.Str(load_default=None, validate=validate.Length(max=64))
    object_id = fields.Str(load_default=None, validate=validate.Length(max=64))
    actor_id = Id(load_default=None)
    action = fields.Str(
        load_default=None,
        validate=validate.OneOf(["create", "update", "delete", "restore", "bulk_write"]),
    )
    since = fields.DateTime(load_default=None, metadata={"description": "from this moment"})
    until = fields.DateTime(load_default=None, metadata={"description": "up to this moment"})

    @validates_schema
    def _in_order(self, data, **_):
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError("The start is after the end.", "until")


class ObjectType(Schema):
    value = fields.Str()
    label = fields.Str()


@blp.route("")
class Audit(MethodView):
    @blp.arguments(AuditQuery, location="query")
    @blp.response(200, page_of(AuditOut, "AuditPage"))
    def get(self, args):
        """Audit entries, newest first, each named and its changes in words."""
        scope = current_scope()
        require(scope.user, "audit.read")
        page = list_entries(scope, args, args["page"], args["page_size"])
        return {**page, "items": describe(scope, page["items"], caller_language())}


@blp.route("/object-types")
class AuditObjectTypes(MethodView):
    @blp.response(200, list_of(ObjectType, "AuditObjectTypeList"))
    def get(self):
        """The kinds of thing the log names, for its filter: the forms first."""
        scope = current_scope()
        require(scope.user, "audit.read")
        return {"items": object_types(scope, caller_language())}


@blp.route("/<int:entry_id>")
class AuditItem(MethodView):
    @blp.response(200, AuditOut)
    def get(self, entry_id):
        """One audit entry."""
        scope = current_scope()
        require(scope.user, "audit.read")
        entry = scope.get(AuditEntry, entry_id, "audit entry")
        return describe(scope, [entry], caller_language())[0]
