"""The audit log, for administrators."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.common import Id, PageArgs, page_of
from app.api.context import current_scope
from app.audit.queries import list_entries
from app.auth.permissions import require
from app.models import AuditEntry

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="Audit log")


class AuditOut(Schema):
    id = fields.Int()
    at = fields.DateTime()
    actor_id = fields.Int(allow_none=True)
    actor_name = fields.Str()
    object_type = fields.Str()
    object_id = fields.Str()
    action = fields.Str()
    diff = fields.Dict()


class AuditQuery(PageArgs):
    object_type = fields.Str(load_default=None, validate=validate.Length(max=64))
    object_id = fields.Str(load_default=None, validate=validate.Length(max=64))
    actor_id = Id(load_default=None)
    action = fields.Str(
        load_default=None, validate=validate.OneOf(["create", "update", "delete", "restore"])
    )


@blp.route("")
class Audit(MethodView):
    @blp.arguments(AuditQuery, location="query")
    @blp.response(200, page_of(AuditOut, "AuditPage"))
    def get(self, args):
        """Audit entries, newest first."""
        scope = current_scope()
        require(scope.user, "audit.read")
        return list_entries(scope, args, args["page"], args["page_size"])


@blp.route("/<int:entry_id>")
class AuditItem(MethodView):
    @blp.response(200, AuditOut)
    def get(self, entry_id):
        """One audit entry."""
        scope = current_scope()
        require(scope.user, "audit.read")
        return scope.get(AuditEntry, entry_id, "audit entry")
