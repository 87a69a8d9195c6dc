"""Running flows for administrators: every instance, incidents (list, read, retry), timers,
start triggers."""

from __future__ import annotations

from datetime import UTC

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.api.common import Id, PageArgs, list_of, page_of
from app.api.context import current_scope
from app.api.flows import FlowInstanceOut, FlowInstanceQuery
from app.auth.permissions import require
from app.flows import incidents, listing, timers, triggers
from app.flows.retries import POLICY
from app.models.flow_services import INCIDENT_STATUSES, TIMER_STATUSES
from app.tasks.connectors import deliver
from flow_engine.actions import action_names

blp = Blueprint(
    "flow_admin", __name__, url_prefix="/api/v1", description="Flow incidents, timers, triggers"
)


class AdminInstanceOut(FlowInstanceOut):
    flow_name = fields.Str()
    version = fields.Int()


class AdminInstanceQuery(FlowInstanceQuery):
    flow_id = Id(load_default=None)
    initiator_id = Id(load_default=None)
    created_from = fields.AwareDateTime(
        load_default=None, default_timezone=UTC, metadata={"description": "started at or after"}
    )
    created_to = fields.AwareDateTime(
        load_default=None, default_timezone=UTC, metadata={"description": "started at or before"}
    )

    @validates_schema
    def _a_sane_period(self, data, **_) -> None:
        start, end = data.get("created_from"), data.get("created_to")
        if start is not None and end is not None and end < start:
            raise ValidationError("On or after created_from.", "created_to")


class IncidentOut(Schema):
    id = fields.Int()
    instance_id = fields.Int()
    node_id = fields.Str()
    node_name = fields.Str()
    action = fields.Str()
    error = fields.Str()
    attempts = fields.Int()
    status = fields.Str()
    created_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)
    resolved_by = fields.Int(allow_none=True)


class ActionRunOut(Schema):
    status = fields.Str()
    attempts = fields.Int()
    max_attempts = fields.Int()
    last_error = fields.Str(allow_none=True)
    result = fields.Dict(allow_none=True)
    delivery_id = fields.Int(allow_none=True)


class IncidentDetail(IncidentOut):
    instance_title = fields.Str()
    instance_status = fields.Str()
    run = fields.Nested(ActionRunOut)


class IncidentQuery(PageArgs):
    status = fields.Str(load_default=None, validate=validate.OneOf(INCIDENT_STATUSES))
    instance_id = Id(load_default=None)
    action = fields.Str(load_default=None, validate=validate.OneOf(action_names()))


class TimerOut(Schema):
    id = fields.Int()
    instance_id = fields.Int()
    node_id = fields.Str()
    kind = fields.Str()
    action = fields.Str()
    due_at = fields.DateTime()
    fired = fields.Int()
    status = fields.Str()


class TimerQuery(Schema):
    instance_id = Id(required=True)
    status = fields.Str(load_default=None, validate=validate.OneOf(TIMER_STATUSES))


class TriggersIn(Schema):
    on_submit = fields.Bool(required=True)


class TriggersOut(Schema):
    flow_id = fields.Int()
    on_submit = fields.Bool()


def _admin():
    scope = current_scope()
    require(scope.user, "apps.design")
    return scope


@blp.route("/flow-admin/instances")
class AllInstances(MethodView):
    @blp.arguments(AdminInstanceQuery, location="query")
    @blp.response(200, page_of(AdminInstanceOut, "FlowAdminInstancePage"))
    def get(self, args):
        """Every instance of the tenant, newest first, by flow, status, initiator and start time."""
        criteria = listing.InstanceFilter(
            flow_id=args["flow_id"],
            status=args["status"],
            initiator_id=args["initiator_id"],
            created_from=args["created_from"],
            created_to=args["created_to"],
        )
        return listing.list_all_instances(_admin(), criteria, args["page"], args["page_size"])


@blp.route("/flow-incidents")
class Incidents(MethodView):
    @blp.arguments(IncidentQuery, location="query")
    @blp.response(200, page_of(IncidentOut, "FlowIncidentPage"))
    def get(self, args):
        """Incidents, newest first: failed service actions waiting for an administrator."""
        return incidents.list_incidents(
            _admin(),
            args["status"],
            args["instance_id"],
            args["action"],
            args["page"],
            args["page_size"],
        )


@blp.route("/flow-incidents/<int:incident_id>")
class IncidentItem(MethodView):
    @blp.response(200, IncidentDetail)
    def get(self, incident_id):
        """One incident with its action's attempts and last error."""
        return incidents.incident_detail(_admin(), incident_id)


@blp.route("/flow-incidents/<int:incident_id>/retry")
class IncidentRetry(MethodView):
    @blp.response(200, IncidentDetail)
    def post(self, incident_id):
        """Run the failed action again now; when it succeeds the flow continues. A connector
        call is sent again through its delivery; the incident resolves when it arrives."""
        detail = incidents.retry(_admin(), incident_id, POLICY)
        if detail["run"]["status"] == "waiting" and detail["run"]["delivery_id"]:
            deliver.delay(detail["run"]["delivery_id"])
        return detail


@blp.route("/flow-timers")
class Timers(MethodView):
    @blp.arguments(TimerQuery, location="query")
    @blp.response(200, list_of(TimerOut, "FlowTimerList"))
    def get(self, args):
        """An instance's timers (timeouts, delays, boundary timers) with when they are due."""
        return {"items": timers.list_timers(_admin(), args["instance_id"], args["status"])}


@blp.route("/flows/<int:flow_id>/triggers")
class Triggers(MethodView):
    @blp.response(200, TriggersOut)
    def get(self, flow_id):
        """How the flow starts besides the API: on submission of its form's records."""
        return triggers.triggers(_admin(), flow_id)

    @blp.arguments(TriggersIn)
    @blp.response(200, TriggersOut)
    def put(self, payload, flow_id):
        """Start the flow whenever a record of its form is submitted (or stop doing so)."""
        return triggers.set_triggers(_admin(), flow_id, payload["on_submit"])
