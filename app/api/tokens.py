"""The caller's personal API tokens."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.common import list_of
from app.api.context import current_scope
from app.auth import tokens

blp = Blueprint("tokens", __name__, url_prefix="/api/v1/tokens", description="Personal API tokens")


class TokenOut(Schema):
    id = fields.Int()
    name = fields.Str()
    prefix = fields.Str()
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class TokenCreated(TokenOut):
    token = fields.Str(metadata={"description": "The secret: shown in this answer only."})


class TokenIn(Schema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    expires_in_days = fields.Int(load_default=90, validate=validate.Range(min=1, max=365))


@blp.route("")
class Tokens(MethodView):
    @blp.response(200, list_of(TokenOut, "TokenList"))
    def get(self):
        """The caller's tokens (never their secrets)."""
        return {"items": tokens.list_tokens(current_scope())}

    @blp.arguments(TokenIn)
    @blp.response(201, TokenCreated)
    def post(self, payload):
        """Create a token; send it as `Authorization: Bearer <token>`."""
        token, secret = tokens.create_token(
            current_scope(), payload["name"], payload["expires_in_days"]
        )
        token.token = secret  # not a column: lives only in this answer
        return token


@blp.route("/<int:token_id>")
class TokenItem(MethodView):
    @blp.response(204)
    def delete(self, token_id):
        """Revoke a token at once."""
        tokens.revoke_token(current_scope(), token_id)
