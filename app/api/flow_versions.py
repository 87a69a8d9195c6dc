"""Flow versions side by side: compare two, roll back to one, and move running instances
from one version to another (administrators: preview, then move)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.common import Id
from app.api.context import current_scope
from app.api.errors import wants_chinese
from app.api.flows import FlowVersionDetail, _designer
from app.api.messages_zh import to_chinese
from app.flows import definitions, versions

blp = Blueprint(
    "flow_versions", __name__, url_prefix="/api/v1", description="Flow versions and migration"
)
NODE_ID = fields.Str(validate=validate.Length(min=1, max=255))


class VersionPair(Schema):
    from_version = fields.Int(required=True, validate=validate.Range(min=1))
    to_version = fields.Int(required=True, validate=validate.Range(min=1))


class MigrationIn(Schema):
    from_version = fields.Int(required=True, strict=True, validate=validate.Range(min=1))
    to_version = fields.Int(required=True, strict=True, validate=validate.Range(min=1))
    mapping = fields.Dict(
        keys=NODE_ID,
        values=NODE_ID,
        load_default=dict,
        metadata={"description": "old node id -> node id in the new version, for renamed nodes"},
    )


class ExpectedInstance(Schema):
    id = Id(required=True)
    row_version = fields.Int(required=True, strict=True)


class MigrationRunIn(MigrationIn):
    instances = fields.List(
        fields.Nested(ExpectedInstance),
        load_default=None,
        validate=validate.Length(max=1000),
        metadata={"description": "only these, as seen in the preview; default: all running"},
    )


class VersionSummary(Schema):
    version = fields.Int()
    created_at = fields.DateTime()


class Change(Schema):
    id = fields.Str()
    name = fields.Str()
    type = fields.Str(allow_none=True)
    changes = fields.Dict(metadata={"description": "field -> [old, new]"})


class Changes(Schema):
    added = fields.List(fields.Nested(Change))
    removed = fields.List(fields.Nested(Change))
    changed = fields.List(fields.Nested(Change))


class VersionDiffOut(Schema):
    from_ = fields.Nested(VersionSummary, data_key="from", attribute="from")
    to = fields.Nested(VersionSummary)
    nodes = fields.Nested(Changes)
    flows = fields.Nested(Changes, metadata={"description": "sequence flows"})


class WaitingAt(Schema):
    node_id = fields.Str()
    name = fields.Str()
    type = fields.Str()


class InstanceMove(Schema):
    id = fields.Int()
    title = fields.Str()
    row_version = fields.Int()
    waiting = fields.List(fields.Nested(WaitingAt))
    can_move = fields.Bool()
    moved = fields.Bool()
    moves = fields.Dict(metadata={"description": "old node id -> new node id"})
    reasons = fields.List(fields.Str())


class MigrationOut(Schema):
    from_ = fields.Nested(VersionSummary, data_key="from", attribute="from")
    to = fields.Nested(VersionSummary)
    instances = fields.List(fields.Nested(InstanceMove))


def _reasons_in_caller_language(result: dict) -> dict:
    """The reasons an instance cannot move, in Chinese for a Chinese console."""
    if wants_chinese():
        for instance in result["instances"]:
            instance["reasons"] = [to_chinese(r) for r in instance.get("reasons", [])]
    return result


@blp.route("/flows/<int:flow_id>/versions/diff")
class VersionDiff(MethodView):
    @blp.arguments(VersionPair, location="query")
    @blp.response(200, VersionDiffOut)
    def get(self, args, flow_id):
        """Nodes and sequence flows added, removed and changed between two versions."""
        return versions.diff_versions(
            current_scope(), flow_id, args["from_version"], args["to_version"]
        )


@blp.route("/flows/<int:flow_id>/versions/<int:version>/rollback")
class VersionRollback(MethodView):
    @blp.response(201, FlowVersionDetail)
    def post(self, flow_id, version):
        """Deploy this earlier version again as the next version (running instances stay)."""
        return definitions.roll_back(_designer(), flow_id, version)


@blp.route("/flows/<int:flow_id>/migrations/preview")
class MigrationPreview(MethodView):
    @blp.arguments(MigrationIn)
    @blp.response(200, MigrationOut)
    def post(self, payload, flow_id):
        """Which running instances of one version can move to another, and why not."""
        result = versions.preview_migration(
            current_scope(),
            flow_id,
            payload["from_version"],
            payload["to_version"],
            payload["mapping"],
        )
        return _reasons_in_caller_language(result)


@blp.route("/flows/<int:flow_id>/migrations")
class Migrations(MethodView):
    @blp.arguments(MigrationRunIn)
    @blp.response(200, MigrationOut)
    def post(self, payload, flow_id):
        """Move running instances to another version, each all or nothing, recorded in its
        history; an instance that changed since the preview stays."""
        expected = payload["instances"]
        result = versions.migrate_instances(
            current_scope(),
            flow_id,
            payload["from_version"],
            payload["to_version"],
            payload["mapping"],
            None if expected is None else {i["id"]: i["row_version"] for i in expected},
        )
        return _reasons_in_caller_language(result)
