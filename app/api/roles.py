"""Roles, the permissions they grant and their data scope."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.common import list_of
from app.api.context import current_scope
from app.auth import roles
from app.auth.permissions import PERMISSIONS, require
from app.models import Role
from app.models.identity import DATA_SCOPES

blp = Blueprint("roles", __name__, url_prefix="/api/v1", description="Roles and permissions")


class RoleOut(Schema):
    id = fields.Int()
    name = fields.Str()
    code = fields.Str()
    description = fields.Str()
    permissions = fields.List(fields.Str())
    data_scope = fields.Str()
    data_scope_condition = fields.Dict(allow_none=True)


class RolePatch(Schema):
    name = fields.Str(validate=validate.Length(min=1, max=200))
    code = fields.Str(validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,63}$"))
    description = fields.Str(validate=validate.Length(max=1000))
    permissions = fields.List(fields.Str(), validate=validate.Length(max=200))
    data_scope = fields.Str(validate=validate.OneOf(DATA_SCOPES))
    data_scope_condition = fields.Dict(allow_none=True)


class RoleIn(RolePatch):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    code = fields.Str(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,63}$"))


class PermissionOut(Schema):
    code = fields.Str()
    label_zh = fields.Str()
    label_en = fields.Str()


@blp.route("/roles")
class Roles(MethodView):
    @blp.response(200, list_of(RoleOut, "RoleList"))
    def get(self):
        """All roles of the tenant."""
        return {"items": roles.list_roles(current_scope())}

    @blp.arguments(RoleIn)
    @blp.response(201, RoleOut)
    def post(self, payload):
        """Create a role."""
        scope = current_scope()
        require(scope.user, "admin.roles")
        return roles.create_role(scope, payload)


@blp.route("/roles/<int:role_id>")
class RoleItem(MethodView):
    @blp.response(200, RoleOut)
    def get(self, role_id):
        """One role."""
        return current_scope().get(Role, role_id, "role")

    @blp.arguments(RolePatch)
    @blp.response(200, RoleOut)
    def patch(self, payload, role_id):
        """Change a role's permissions or data scope."""
        scope = current_scope()
        require(scope.user, "admin.roles")
        return roles.update_role(scope, role_id, payload)

    @blp.response(204)
    def delete(self, role_id):
        """Delete a role (users lose what it granted)."""
        scope = current_scope()
        require(scope.user, "admin.roles")
        roles.delete_role(scope, role_id)


@blp.route("/permissions")
class Permissions(MethodView):
    @blp.response(200, list_of(PermissionOut, "PermissionList"))
    def get(self):
        """Every permission a role can grant, with labels."""
        current_scope()
        items = [{"code": c, "label_zh": zh, "label_en": en} for c, (zh, en) in PERMISSIONS.items()]
        return {"items": items}
