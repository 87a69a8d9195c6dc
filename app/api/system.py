"""Health of the platform and a round trip through the worker."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.api.context import current_scope
from app.auth.permissions import require
from app.extensions import db
from app.tasks import liveness
from app.tasks.system import ping

blp = Blueprint("system", __name__, url_prefix="/api/v1", description="Health and worker checks")


class Part(Schema):
    ok = fields.Bool()
    kind = fields.Str()


class WorkerPart(Schema):
    ok = fields.Bool()
    last_heartbeat_at = fields.DateTime(allow_none=True)
    age_seconds = fields.Float(allow_none=True)


class HealthOut(Schema):
    status = fields.Str()
    database = fields.Nested(Part)
    broker = fields.Nested(Part)
    worker = fields.Nested(WorkerPart)


class PingOut(Schema):
    id = fields.Int()
    requested_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)
    worker = fields.Str(allow_none=True)
    done = fields.Function(lambda p: p.answered_at is not None)


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthOut)
    def get(self):
        """Database, broker and worker heartbeat (no login needed, for load balancers)."""
        return liveness.health_report(
            db.session,
            current_app.extensions["celery"],
            current_app.config["GS_WORKER_STALE_SECONDS"],
        )


@blp.route("/system/worker-checks")
class WorkerChecks(MethodView):
    @blp.response(202, PingOut)
    def post(self):
        """Send a ping task through the broker; poll the check until a worker answers."""
        scope = current_scope()
        require(scope.user, "system.health")
        return liveness.request_ping(scope, ping.delay)


@blp.route("/system/worker-checks/<int:check_id>")
class WorkerCheck(MethodView):
    @blp.response(200, PingOut)
    def get(self, check_id):
        """Whether a worker has answered the ping."""
        scope = current_scope()
        require(scope.user, "system.health")
        return liveness.get_ping(scope, check_id)
