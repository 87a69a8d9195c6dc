"""The tenant's outbound allow-list, for its administrators: which private hosts and
networks connectors may call, besides those the installation allows."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.context import current_scope
from app.auth.permissions import require
from app.connectors import outbound
from app.connectors.environment import environment

blp = Blueprint(
    "outbound", __name__, url_prefix="/api/v1", description="Outbound allow-list of connectors"
)


class EntryIn(Schema):
    entry = fields.Str(required=True, validate=validate.Length(min=1, max=255))
    note = fields.Str(load_default="", validate=validate.Length(max=200))


class AllowlistIn(Schema):
    entries = fields.List(fields.Nested(EntryIn), required=True, validate=validate.Length(max=200))


class EntryOut(Schema):
    entry = fields.Str(metadata={"description": "host name, IP address or CIDR network"})
    note = fields.Str()
    updated_at = fields.DateTime()


class AllowlistOut(Schema):
    entries = fields.List(fields.Nested(EntryOut))
    environment = fields.List(
        fields.Str(),
        metadata={"description": "allowed by the installation (GS_OUTBOUND_ALLOWLIST)"},
    )


def _admin():
    scope = current_scope()
    require(scope.user, "admin.outbound")
    return scope


def _out(entries: list) -> dict:
    return {"entries": entries, "environment": list(environment(current_app).allowlist.entries)}


@blp.route("/outbound-allowlist")
class Allowlist(MethodView):
    @blp.response(200, AllowlistOut)
    def get(self):
        """The private hosts and networks connectors may call."""
        return _out(outbound.list_entries(_admin()))

    @blp.arguments(AllowlistIn)
    @blp.response(200, AllowlistOut)
    def put(self, payload):
        """Replace the tenant's list; refused whole (422, by row) when a row cannot be allowed."""
        return _out(outbound.replace_entries(_admin(), payload["entries"]))
