"""Connectors: types, settings (secrets never shown), test connection, deliveries, replay,
and scheduled ERP pulls with their run log."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.common import Id, PageArgs, list_of, page_of
from app.api.context import current_scope
from app.api.errors import caller_language
from app.auth.permissions import require
from app.connectors import deliveries
from app.connectors.environment import environment
from app.connectors.settings import create_connector, public_config, update_connector
from app.integrations import removal, restoration, sync
from app.models import Connector, ConnectorSync, SyncRun
from app.tasks.connectors import deliver, run_sync
from connectors import REGISTRY

blp = Blueprint("connectors", __name__, url_prefix="/api/v1", description="Connectors")
KEY = validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$", error="a-z, 0-9 and _, starting with a letter")


class ConnectorOut(Schema):
    id = fields.Int()
    key = fields.Function(
        lambda c: removal.original_key(c)[0],
        metadata={"description": "a deleted connector's: the key it had"},
    )
    type = fields.Str()
    label = fields.Dict()
    config = fields.Function(public_config)
    enabled = fields.Bool()
    updated_at = fields.DateTime()
    deleted = fields.Function(lambda c: c.deleted_at is not None)


class ConnectorQuery(Schema):
    include_deleted = fields.Bool(
        load_default=False,
        metadata={"description": "deleted connectors too (to name them in the delivery log)"},
    )


class RestoredOut(Schema):
    id = fields.Int()
    key = fields.Str(metadata={"description": "the key it had before it was deleted"})
    enabled = fields.Bool(metadata={"description": "always false: switch it on when ready"})
    key_shortened = fields.Bool(
        metadata={
            "description": "deleted before whole keys were kept, its long key came back "
            "as it was kept, which may be cut short: check it before switching it on"
        }
    )


class ConnectorPatch(Schema):
    label = fields.Dict()
    config = fields.Dict()
    enabled = fields.Bool()


class ConnectorIn(ConnectorPatch):
    key = fields.Str(validate=KEY, metadata={"description": "made from the label when not given"})
    type = fields.Str(required=True)
    label = fields.Dict(required=True)
    config = fields.Dict(required=True)


class SendIn(Schema):
    action = fields.Str(required=True)
    inputs = fields.Dict(required=True)
    idempotency_key = fields.Str(required=True, validate=validate.Length(min=1, max=128))


class DeliveryOut(Schema):
    id = fields.Int()
    connector_id = fields.Int()
    action = fields.Str()
    test = fields.Function(
        lambda d: d.action == deliveries.TEST,
        metadata={"description": 'made by "test connection"'},
    )
    inputs = fields.Dict()
    idempotency_key = fields.Str()
    status = fields.Str()
    attempts = fields.Int()
    max_attempts = fields.Int()
    last_error = fields.Str(allow_none=True)
    response_status = fields.Int(allow_none=True)
    response_excerpt = fields.Str(allow_none=True)
    latency_ms = fields.Int(allow_none=True)
    next_attempt_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    connector_key = fields.Str(metadata={"description": "the key it had, if since deleted"})
    connector_label = fields.Dict()
    connector_deleted = fields.Bool()


class DeliveryQuery(PageArgs):
    connector_id = Id(load_default=None)
    status = fields.Str(
        load_default=None,
        validate=validate.OneOf(["pending", "sending", "retrying", "succeeded", "dead"]),
    )
    created_from = fields.AwareDateTime(load_default=None)
    created_to = fields.AwareDateTime(load_default=None)
    q = fields.Str(load_default=None, validate=validate.Length(max=200))


def _admin():
    scope = current_scope()
    require(scope.user, "connectors.manage")
    return scope


@blp.route("/connector-types")
class Types(MethodView):
    @blp.response(200)
    def get(self):
        """Every connector type with its settings schema, secret fields and actions."""
        current_scope()
        return {
            "items": [
                {
                    "name": k,
                    "label": t.label,
                    "config_schema": t.config_schema,
                    "secret_fields": list(t.secret_fields),
                    "actions": t.actions,
                }
                for k, t in sorted(REGISTRY.items())
            ]
        }


@blp.route("/connectors")
class Connectors(MethodView):
    @blp.arguments(ConnectorQuery, location="query")
    @blp.response(200, list_of(ConnectorOut, "ConnectorList"))
    def get(self, args):
        """The tenant's connectors (secrets masked); deleted ones too with
        ``include_deleted``, marked ``deleted``."""
        scope = _admin()
        stmt = scope.select(Connector)
        if not args["include_deleted"]:
            stmt = stmt.where(Connector.deleted_at.is_(None))
        return {"items": list(scope.session.scalars(stmt.order_by(Connector.id)))}

    @blp.arguments(ConnectorIn)
    @blp.response(201, ConnectorOut)
    def post(self, payload):
        """Create a connector; secrets are encrypted and never returned."""
        return create_connector(_admin(), environment(current_app), payload, caller_language())


@blp.route("/connectors/<int:connector_id>")
class ConnectorItem(MethodView):
    @blp.response(200, ConnectorOut)
    def get(self, connector_id):
        """One connector (secrets masked)."""
        return _admin().get(Connector, connector_id, "connector")

    @blp.arguments(ConnectorPatch)
    @blp.response(200, ConnectorOut)
    def patch(self, payload, connector_id):
        """Change settings; a masked or empty secret keeps the stored one."""
        return update_connector(_admin(), environment(current_app), connector_id, payload)

    @blp.response(204)
    def delete(self, connector_id):
        """Delete a connector; its deliveries stay in the log. Refused (409, with
        ``used_by``) while a rule, a deployed flow or a sync names it."""
        removal.delete_connector(_admin(), connector_id)


@blp.route("/connectors/<int:connector_id>/restore")
class ConnectorRestore(MethodView):
    @blp.response(200, RestoredOut)
    def post(self, connector_id):
        """Undo a deletion: the connector comes back under its key, switched off, with its
        deliveries. Refused (409 ``key_taken``) while another connector has the key, and
        (409 ``not_deleted``) for one that is not deleted."""
        return restoration.restore_connector(_admin(), connector_id)


@blp.route("/connectors/<int:connector_id>/test")
class TestConnection(MethodView):
    @blp.response(200)
    def post(self, connector_id):
        """Try the settings now and say what happened; the try is kept in the delivery log,
        marked as a test (``delivery_id``)."""
        return deliveries.check_connection(_admin(), environment(current_app), connector_id)


@blp.route("/connectors/<int:connector_id>/deliveries")
class Send(MethodView):
    @blp.arguments(SendIn)
    @blp.response(202, DeliveryOut)
    def post(self, payload, connector_id):
        """Queue a call (once per idempotency key); the worker delivers it with retries."""
        scope = _admin()
        delivery = deliveries.enqueue(
            scope, connector_id, payload["action"], payload["inputs"], payload["idempotency_key"]
        )
        deliver.delay(delivery.id)
        return deliveries.logged(scope, delivery)


@blp.route("/deliveries")
class Deliveries(MethodView):
    @blp.arguments(DeliveryQuery, location="query")
    @blp.response(200, page_of(DeliveryOut, "DeliveryPage"))
    def get(self, args):
        """The delivery log, newest first, filterable by connector, status, time queued
        (``created_from`` / ``created_to``, ISO 8601 with a zone) and text (``q``: action,
        idempotency key or error). Each delivery names its connector, a deleted one too."""
        page, size = args.pop("page"), args.pop("page_size")
        items, total = deliveries.log(_admin(), args, page, size)
        return {"items": items, "page": page, "page_size": size, "total": total}


@blp.route("/deliveries/<int:delivery_id>/replay")
class Replay(MethodView):
    @blp.response(200, DeliveryOut)
    def post(self, delivery_id):
        """Send a dead letter again."""
        scope = _admin()
        delivery = deliveries.replay(scope, delivery_id)
        deliver.delay(delivery.id)
        return deliveries.logged(scope, delivery)


class SyncPatch(Schema):
    label = fields.Dict()
    connector_id = Id()
    action = fields.Str(validate=validate.Length(min=1, max=64))
    inputs = fields.Dict()
    rows_path = fields.Str(validate=validate.Length(min=1, max=500))
    form_id = Id()
    mapping = fields.Dict(
        keys=fields.Str(),
        metadata={"description": "form field -> JSONPath, row key, or {template}"},
    )
    key_fields = fields.List(fields.Str(), validate=validate.Length(min=1, max=5))
    schedule = fields.Str(metadata={"description": "cron, in the tenant's time zone"})
    enabled = fields.Bool()


class SyncIn(SyncPatch):
    key = fields.Str(required=True, validate=KEY)
    label = fields.Dict(required=True)
    connector_id = Id(required=True)
    action = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    form_id = Id(required=True)
    mapping = fields.Dict(keys=fields.Str(), required=True)
    key_fields = fields.List(fields.Str(), required=True, validate=validate.Length(min=1, max=5))
    schedule = fields.Str(required=True)


class SyncOut(SyncIn):
    id = fields.Int()
    last_run_at = fields.DateTime(allow_none=True)


class SyncRunOut(Schema):
    id = fields.Int()
    sync_id = fields.Int()
    status = fields.Str()
    trigger = fields.Str()
    fetched = fields.Int()
    created = fields.Int()
    updated = fields.Int()
    unchanged = fields.Int()
    failed = fields.Int()
    errors = fields.List(fields.Dict())
    message = fields.Str(allow_none=True)
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


@blp.route("/connector-syncs")
class Syncs(MethodView):
    @blp.response(200, list_of(SyncOut, "ConnectorSyncList"))
    def get(self):
        """Scheduled pulls from ERPs into forms."""
        scope = _admin()
        stmt = scope.select(ConnectorSync).where(ConnectorSync.deleted_at.is_(None))
        return {"items": list(scope.session.scalars(stmt.order_by(ConnectorSync.id)))}

    @blp.arguments(SyncIn)
    @blp.response(201, SyncOut)
    def post(self, payload):
        """Schedule a pull: connector query, where the rows are, field mapping, key fields."""
        return sync.create_sync(_admin(), payload)


@blp.route("/connector-syncs/<int:sync_id>")
class SyncItem(MethodView):
    @blp.response(200, SyncOut)
    def get(self, sync_id):
        """One sync."""
        return _admin().get(ConnectorSync, sync_id, "sync")

    @blp.arguments(SyncPatch)
    @blp.response(200, SyncOut)
    def patch(self, payload, sync_id):
        """Change a sync; the saver becomes the user it writes records as."""
        return sync.update_sync(_admin(), sync_id, payload)

    @blp.response(204)
    def delete(self, sync_id):
        """Delete a sync: it stops running; its run log stays."""
        removal.delete_sync(_admin(), sync_id)


@blp.route("/connector-syncs/<int:sync_id>/restore")
class SyncRestore(MethodView):
    @blp.response(200, RestoredOut)
    def post(self, sync_id):
        """Undo a deletion: the sync comes back under its key, switched off, with its run
        log. Refused (409 ``key_taken``) while another sync has the key, and (409
        ``connector_deleted``) while its connector is deleted."""
        return restoration.restore_sync(_admin(), sync_id)


@blp.route("/connector-syncs/<int:sync_id>/runs")
class SyncRuns(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200)
    def get(self, args, sync_id):
        """The sync's runs, newest first: counts, status and the first problems."""
        scope = _admin()
        scope.get(ConnectorSync, sync_id, "sync")
        page, size = args["page"], args["page_size"]
        rows = scope.session.scalars(
            scope.select(SyncRun)
            .where(SyncRun.sync_id == sync_id)
            .order_by(SyncRun.id.desc())
            .offset((page - 1) * size)
            .limit(size)
        ).all()
        return {"items": SyncRunOut(many=True).dump(rows), "page": page, "page_size": size}

    @blp.response(202)
    def post(self, sync_id):
        """Run the sync now (in the background); its run appears in the list."""
        scope = _admin()
        scope.get(ConnectorSync, sync_id, "sync")
        run_sync.delay(sync_id, "manual")
        return {"queued": True}
