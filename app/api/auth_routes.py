"""Login, logout and the caller's own profile."""

from __future__ import annotations

from flask import current_app, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.context import csrf_token, current_scope, end_session, start_session
from app.auth import users
from app.auth.login import LockoutPolicy, authenticate
from app.extensions import db

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Login and the current user")


class LoginIn(Schema):
    username = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    password = fields.Str(required=True, validate=validate.Length(min=1, max=256))
    tenant = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=64))


class TenantOut(Schema):
    id = fields.Int()
    slug = fields.Str()
    name = fields.Str()
    timezone = fields.Str()


class RoleRef(Schema):
    id = fields.Int()
    name = fields.Str()


class MeOut(Schema):
    id = fields.Int()
    username = fields.Str()
    display_name = fields.Str()
    email = fields.Str(allow_none=True)
    locale = fields.Str()
    is_admin = fields.Bool()
    permissions = fields.Method("_permissions")
    roles = fields.List(fields.Nested(RoleRef))
    department_id = fields.Int(allow_none=True)
    tenant = fields.Nested(TenantOut)
    csrf_token = fields.Method("_csrf")

    def _permissions(self, user) -> list[str]:
        return sorted(user.permissions)

    def _csrf(self, user) -> str | None:
        return csrf_token()


class MePatch(Schema):
    display_name = fields.Str(validate=validate.Length(min=1, max=200))
    email = fields.Email(allow_none=True)
    locale = fields.Str(validate=validate.OneOf(["zh-CN", "en"]))


@blp.route("/auth/login")
class Login(MethodView):
    @blp.arguments(LoginIn)
    @blp.response(200, MeOut)
    def post(self, payload):
        """Log in with a username and password; sets the session and CSRF cookies."""
        config = current_app.config
        policy = LockoutPolicy(config["GS_LOGIN_MAX_FAILURES"], config["GS_LOGIN_LOCK_MINUTES"])
        user = authenticate(
            db.session, payload["username"], payload["password"], payload["tenant"], policy
        )
        response = jsonify({})
        start_session(user, response)
        response.set_data(jsonify(MeOut().dump(user)).get_data())
        return response


@blp.route("/auth/logout")
class Logout(MethodView):
    @blp.response(204)
    def post(self):
        """End the browser session."""
        current_scope()
        response = current_app.response_class(status=204)
        end_session(response)
        return response


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, MeOut)
    def get(self):
        """The logged-in user, their tenant, roles and permissions."""
        return current_scope().user

    @blp.arguments(MePatch)
    @blp.response(200, MeOut)
    def patch(self, payload):
        """Change one's own display name, email or language."""
        scope = current_scope()
        return users.update_user(scope, scope.user.id, payload)
