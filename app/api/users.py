"""Users of the caller's tenant."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.common import Id, PageArgs, page_of
from app.api.context import current_scope
from app.auth import users
from app.auth.permissions import require
from app.models import User

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Users")

USERNAME = validate.Regexp(r"^[A-Za-z0-9_.@-]{2,64}$", error="2-64 letters, digits or _ . @ -")


class UserOut(Schema):
    id = fields.Int()
    username = fields.Str()
    display_name = fields.Str()
    email = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    department_id = fields.Int(allow_none=True)
    role_ids = fields.Method("_role_ids")
    is_active = fields.Bool()
    locale = fields.Str()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()

    def _role_ids(self, user) -> list[int]:
        return sorted(r.id for r in user.roles)


class UserPatch(Schema):
    display_name = fields.Str(validate=validate.Length(min=1, max=200))
    password = fields.Str(validate=validate.Length(max=256))
    email = fields.Email(allow_none=True)
    phone = fields.Str(allow_none=True, validate=validate.Regexp(r"^\+?[0-9 -]{5,20}$"))
    department_id = Id(allow_none=True)
    role_ids = fields.List(Id(), validate=validate.Length(max=100))
    is_active = fields.Bool()
    locale = fields.Str(validate=validate.OneOf(["zh-CN", "en"]))


class UserIn(UserPatch):
    username = fields.Str(required=True, validate=USERNAME)
    display_name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    password = fields.Str(required=True, validate=validate.Length(max=256))


class UserQuery(PageArgs):
    q = fields.Str(load_default=None, validate=validate.Length(max=100))


@blp.route("")
class Users(MethodView):
    @blp.arguments(UserQuery, location="query")
    @blp.response(200, page_of(UserOut, "UserPage"))
    def get(self, args):
        """List users, optionally searching by username or name."""
        return users.list_users(current_scope(), args["q"], args["page"], args["page_size"])

    @blp.arguments(UserIn)
    @blp.response(201, UserOut)
    def post(self, payload):
        """Create a user."""
        scope = current_scope()
        require(scope.user, "admin.users")
        return users.create_user(scope, payload)


@blp.route("/<int:user_id>")
class UserItem(MethodView):
    @blp.response(200, UserOut)
    def get(self, user_id):
        """One user."""
        scope = current_scope()
        return scope.get(User, user_id, "user")

    @blp.arguments(UserPatch)
    @blp.response(200, UserOut)
    def patch(self, payload, user_id):
        """Change a user; a new password ends their sessions."""
        scope = current_scope()
        require(scope.user, "admin.users")
        return users.update_user(scope, user_id, payload)

    @blp.response(204)
    def delete(self, user_id):
        """Deactivate and hide a user (their records and history stay)."""
        scope = current_scope()
        require(scope.user, "admin.users")
        users.delete_user(scope, user_id)
