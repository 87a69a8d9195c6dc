"""Inbound webhooks: the signed public endpoint, and their setup (URL, secret, curl)."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.common import Id, list_of
from app.api.connectors import KEY, RestoredOut, _admin
from app.api.errors import wants_chinese
from app.api.messages_zh import to_chinese
from app.connectors.environment import environment
from app.extensions import db
from app.integrations import inbound, removal, restoration
from app.models import App, InboundHook

blp = Blueprint("inbound", __name__, url_prefix="/api/v1", description="Inbound webhooks")

SOURCE = 'a JSONPath ($...), a top-level key, or {"template": "..."}'


class HookPatch(Schema):
    label = fields.Dict()
    action = fields.Str(validate=validate.OneOf(inbound.ACTIONS))
    form_id = Id()
    flow_id = Id(allow_none=True)
    mapping = fields.Dict(keys=fields.Str(), metadata={"description": f"form field -> {SOURCE}"})
    key_fields = fields.List(fields.Str(), validate=validate.Length(max=5))
    enabled = fields.Bool()


class HookIn(HookPatch):
    key = fields.Str(required=True, validate=KEY)
    label = fields.Dict(required=True)
    action = fields.Str(required=True, validate=validate.OneOf(inbound.ACTIONS))
    form_id = Id(required=True)
    mapping = fields.Dict(keys=fields.Str(), required=True)


class HookOut(Schema):
    id = fields.Int()
    app_id = fields.Int()
    key = fields.Str()
    label = fields.Dict()
    action = fields.Str()
    form_id = fields.Int()
    flow_id = fields.Int(allow_none=True)
    mapping = fields.Dict()
    key_fields = fields.List(fields.Str())
    enabled = fields.Bool()
    url = fields.Str()
    curl = fields.Str()
    secret = fields.Str(metadata={"description": "only when made or rotated"})


def _out(scope, hook: InboundHook, secret: str | None = None) -> dict:
    shown = inbound.describe(scope, hook, request.host_url, secret)
    return {**HookOut(exclude=("url", "curl", "secret")).dump(hook), **shown}


@blp.route("/inbound/<string:tenant>/<string:app_key>/<string:hook_key>")
class Receive(MethodView):
    @blp.response(200)
    @blp.doc(
        security=[],
        parameters=[
            {"in": "header", "name": h, "required": True, "schema": {"type": "string"}}
            for h in ("X-GreenShelf-Timestamp", "X-GreenShelf-Signature", "X-GreenShelf-Delivery")
        ],
    )
    def post(self, tenant, app_key, hook_key):
        """Receive a signed call: create or update a record, maybe start a flow.

        A repeated X-GreenShelf-Delivery gets the first answer again, with
        X-GreenShelf-Replay: true, and changes nothing.
        """
        status, answer, repeat = inbound.receive(
            db.session,
            environment(current_app),
            (tenant, app_key, hook_key),
            request.headers,
            request.get_data(cache=False),
        )
        if status >= 400 and wants_chinese():
            answer = {
                **answer,
                "message": to_chinese(answer.get("message", "")),
                "errors": {
                    k: [to_chinese(m) for m in v] for k, v in answer.get("errors", {}).items()
                },
            }
        response = jsonify(answer)
        response.status_code = status
        if repeat:
            response.headers["X-GreenShelf-Replay"] = "true"
        return response


@blp.route("/apps/<int:app_id>/inbound-hooks")
class Hooks(MethodView):
    @blp.response(200, list_of(HookOut, "InboundHookList"))
    def get(self, app_id):
        """The app's inbound hooks with their URL and a curl example (never the secret)."""
        scope = _admin()
        scope.get(App, app_id, "app")
        hooks = scope.session.scalars(
            scope.select(InboundHook)
            .where(InboundHook.app_id == app_id, InboundHook.deleted_at.is_(None))
            .order_by(InboundHook.id)
        )
        return {"items": [_out(scope, h) for h in hooks]}

    @blp.arguments(HookIn)
    @blp.response(201, HookOut)
    def post(self, payload, app_id):
        """Make a hook; the answer carries its secret, shown this once."""
        scope = _admin()
        hook, secret = inbound.create_hook(scope, environment(current_app), app_id, payload)
        return _out(scope, hook, secret)


@blp.route("/inbound-hooks/<int:hook_id>")
class Hook(MethodView):
    @blp.response(200, HookOut)
    def get(self, hook_id):
        """One hook (without its secret)."""
        scope = _admin()
        return _out(scope, scope.get(InboundHook, hook_id, "inbound hook"))

    @blp.arguments(HookPatch)
    @blp.response(200, HookOut)
    def patch(self, payload, hook_id):
        """Change the mapping, the action or the state; the saver becomes the acting user."""
        scope = _admin()
        return _out(scope, inbound.update_hook(scope, hook_id, payload))

    @blp.response(204)
    def delete(self, hook_id):
        """Delete the hook: its URL stops answering (404); its receipts stay."""
        removal.delete_hook(_admin(), hook_id)


@blp.route("/inbound-hooks/<int:hook_id>/restore")
class HookRestore(MethodView):
    @blp.response(200, RestoredOut)
    def post(self, hook_id):
        """Undo a deletion: the hook comes back under its key, switched off (its URL answers
        once it is on), with its receipts and its secret. Refused (409 ``key_taken``) while
        another hook of the app has the key."""
        return restoration.restore_hook(_admin(), hook_id)


@blp.route("/inbound-hooks/<int:hook_id>/rotate-secret")
class Rotate(MethodView):
    @blp.response(200, HookOut)
    def post(self, hook_id):
        """Replace the secret (the old one stops working now); the new one is shown once."""
        scope = _admin()
        hook, secret = inbound.rotate_secret(scope, environment(current_app), hook_id)
        return _out(scope, hook, secret)
