"""Flows: definitions and their versions, instances, and the approver's tasks."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.api.common import Id, PageArgs, list_of, page_of
from app.api.context import current_scope
from app.api.errors import caller_language
from app.auth.permissions import require
from app.flows import definitions, inbox, instances
from app.models import FlowDefinition

blp = Blueprint("flows", __name__, url_prefix="/api/v1", description="Approval flows")
KEY = validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$", error="a-z, 0-9 and _, starting with a letter")
Comment = fields.Str(load_default="", validate=validate.Length(max=2000))


class FlowOut(Schema):
    id = fields.Int()
    key = fields.Str()
    name = fields.Str()
    form_id = fields.Int()
    latest_version = fields.Int(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class FlowPatch(Schema):
    name = fields.Str(validate=validate.Length(min=1, max=200))


class FlowIn(Schema):
    key = fields.Str(validate=KEY, metadata={"description": "made from the name when not given"})
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    form_id = Id(required=True)


class FlowQuery(Schema):
    form_id = Id(load_default=None)


class FlowDeployIn(Schema):
    bpmn = fields.Str(validate=validate.Length(min=1, max=2_000_000))
    tree = fields.Dict()

    @validates_schema
    def _one_source(self, data, **_) -> None:
        if ("bpmn" in data) == ("tree" in data):
            raise ValidationError("Send either bpmn (XML) or tree (simple designer).", "_schema")


class FlowCompileIn(Schema):
    tree = fields.Dict(required=True)


class FlowVersionOut(Schema):
    id = fields.Int()
    definition_id = fields.Int()
    version = fields.Int()
    process_id = fields.Str()
    form_version = fields.Int()
    deployed_by = fields.Int(allow_none=True)
    created_at = fields.DateTime()
    nodes = fields.Dict()
    simple = fields.Function(lambda v: v.tree is not None)


class FlowVersionDetail(FlowVersionOut):
    bpmn = fields.Str(attribute="bpmn_xml")
    tree = fields.Dict(allow_none=True)


class FlowStartIn(Schema):
    record_id = Id(required=True)


class FlowInstanceOut(Schema):
    id = fields.Int()
    definition_id = fields.Int()
    form_id = fields.Int()
    record_id = fields.Int()
    title = fields.Str()
    status = fields.Str()
    initiator_id = fields.Int()
    initiator_name = fields.Str()
    row_version = fields.Int()
    created_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)


class FlowTaskOut(Schema):
    id = fields.Int()
    instance_id = fields.Int()
    kind = fields.Str()
    node_id = fields.Str()
    node_name = fields.Str()
    mode = fields.Str()
    assignee_id = fields.Int()
    assignee_name = fields.Str()
    candidates = fields.List(fields.Int())
    status = fields.Str()
    comment = fields.Str()
    acted_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    title = fields.Str()
    instance_status = fields.Str()
    instance_row_version = fields.Int()
    initiator_id = fields.Int()
    initiator_name = fields.Str()
    form_id = fields.Int()
    record_id = fields.Int()
    on_behalf_of_id = fields.Int(allow_none=True)
    on_behalf_of_name = fields.Str()


class FlowTaskDetail(FlowTaskOut):
    record = fields.Dict()
    field_permissions = fields.Dict(
        attribute="fields",
        data_key="fields",
        keys=fields.Str(),
        values=fields.Str(),
        metadata={"description": "field -> editable, readonly or hidden"},
    )
    titles = fields.Dict(
        keys=fields.Str(),
        values=fields.Dict(keys=fields.Str(), values=fields.Str()),
        metadata={"description": "field -> {id: name} of the users, departments and records"},
    )
    actions = fields.List(fields.Str(), metadata={"description": "the enabled buttons"})
    comment_required = fields.List(fields.Str())


class FlowEventOut(Schema):
    id = fields.Int()
    task_id = fields.Int(allow_none=True)
    node_id = fields.Str(allow_none=True)
    node_name = fields.Str(allow_none=True)
    action = fields.Str()
    actor_id = fields.Int(allow_none=True)
    actor_name = fields.Str()
    comment = fields.Str()
    details = fields.Dict()
    at = fields.DateTime()
    on_behalf_of = fields.Function(
        lambda e: (e.details or {}).get("on_behalf_of"), metadata={"description": "{id, name}"}
    )
    attachments = fields.Function(lambda e: (e.details or {}).get("attachments", []))


class FlowPassedStepOut(Schema):
    node_id = fields.Str()
    node_type = fields.Str()
    at = fields.DateTime()


class FlowInstanceDetail(FlowInstanceOut):
    version = fields.Int()
    tasks = fields.List(fields.Nested(FlowTaskOut))
    events = fields.List(fields.Nested(FlowEventOut))
    path = fields.List(
        fields.Nested(FlowPassedStepOut),
        metadata={"description": "the completed steps (events, tasks, gateways), oldest first"},
    )


class FlowInstanceQuery(PageArgs):
    status = fields.Str(
        load_default=None,
        validate=validate.OneOf(["running", "incident", "approved", "rejected", "withdrawn"]),
    )


class FlowTaskQuery(PageArgs):
    box = fields.Str(load_default="todo", validate=validate.OneOf(list(inbox.BOXES)))


class FlowDecisionIn(Schema):
    comment = Comment
    row_version = fields.Int(load_default=None)
    attachments = fields.List(Id(), load_default=list, validate=validate.Length(max=20))


class FlowApproveIn(FlowDecisionIn):
    values = fields.Dict(
        keys=fields.Str(), load_default=dict, metadata={"description": "edits to editable fields"}
    )
    record_row_version = fields.Int(load_default=None)


class FlowReturnIn(FlowDecisionIn):
    to_node = fields.Str(
        load_default=None, metadata={"description": "an earlier step; default: the previous"}
    )


class FlowTransferIn(FlowDecisionIn):
    user_id = Id(required=True)


def _designer():
    scope = current_scope()
    require(scope.user, "apps.design")
    return scope


@blp.route("/flows")
class Flows(MethodView):
    @blp.arguments(FlowQuery, location="query")
    @blp.response(200, list_of(FlowOut, "FlowList"))
    def get(self, args):
        """All flows, or the flows of one form."""
        return {"items": definitions.list_flows(current_scope(), args["form_id"])}

    @blp.arguments(FlowIn)
    @blp.response(201, FlowOut)
    def post(self, payload):
        """Create a flow bound to a form (deploy a version before starting it)."""
        return definitions.create_flow(_designer(), payload, caller_language())


@blp.route("/flows/<int:flow_id>")
class FlowItem(MethodView):
    @blp.response(200, FlowOut)
    def get(self, flow_id):
        """One flow."""
        return current_scope().get(FlowDefinition, flow_id, "flow")

    @blp.arguments(FlowPatch)
    @blp.response(200, FlowOut)
    def patch(self, payload, flow_id):
        """Rename a flow."""
        return definitions.update_flow(_designer(), flow_id, payload)


@blp.route("/flows/<int:flow_id>/versions")
class FlowVersions(MethodView):
    @blp.response(200, list_of(FlowVersionOut, "FlowVersionList"))
    def get(self, flow_id):
        """Every deployed version, oldest first."""
        return {"items": definitions.list_versions(current_scope(), flow_id)}

    @blp.arguments(FlowDeployIn)
    @blp.response(201, FlowVersionDetail)
    def post(self, payload, flow_id):
        """Deploy BPMN XML, or a simple-designer tree, as the next immutable version."""
        scope = _designer()
        if "tree" in payload:
            return definitions.deploy_simple(scope, flow_id, payload["tree"])
        return definitions.deploy_bpmn(scope, flow_id, payload["bpmn"])


@blp.route("/flows/<int:flow_id>/versions/<int:version>")
class FlowVersionItem(MethodView):
    @blp.response(200, FlowVersionDetail)
    def get(self, flow_id, version):
        """One version with its BPMN (and the simple-designer tree it came from, if any)."""
        return definitions.get_version(current_scope(), flow_id, version)


@blp.route("/flows/<int:flow_id>/compile")
class FlowCompile(MethodView):
    @blp.arguments(FlowCompileIn)
    @blp.response(200)
    def post(self, payload, flow_id):
        """The BPMN a simple-designer tree compiles to, without deploying it."""
        return {"bpmn": definitions.compile_simple(_designer(), flow_id, payload["tree"])}


@blp.route("/flows/<int:flow_id>/instances")
class FlowStart(MethodView):
    @blp.arguments(FlowStartIn)
    @blp.response(201, FlowInstanceOut)
    def post(self, payload, flow_id):
        """Start the flow's latest version for a record."""
        instance = instances.start_instance(current_scope(), flow_id, payload["record_id"])
        return instances.instance_detail(current_scope(), instance.id)


@blp.route("/flow-instances")
class Instances(MethodView):
    @blp.arguments(FlowInstanceQuery, location="query")
    @blp.response(200, page_of(FlowInstanceOut, "FlowInstancePage"))
    def get(self, args):
        """Flows I started, newest first."""
        return instances.list_initiated(
            current_scope(), args["status"], args["page"], args["page_size"]
        )


@blp.route("/flow-instances/<int:instance_id>")
class InstanceItem(MethodView):
    @blp.response(200, FlowInstanceDetail)
    def get(self, instance_id):
        """One instance with its tasks and its history."""
        return instances.instance_detail(current_scope(), instance_id)


@blp.route("/flow-tasks")
class Tasks(MethodView):
    @blp.arguments(FlowTaskQuery, location="query")
    @blp.response(200, page_of(FlowTaskOut, "FlowTaskPage"))
    def get(self, args):
        """My tasks: to do, done, or copied to me."""
        return inbox.list_tasks(current_scope(), args["box"], args["page"], args["page_size"])


@blp.route("/flow-tasks/<int:task_id>")
class TaskItem(MethodView):
    @blp.response(200, FlowTaskDetail)
    def get(self, task_id):
        """One of my tasks with the record it is about."""
        return inbox.task_detail(current_scope(), task_id)


def _decide(action: str, payload: dict, task_id: int):
    scope = current_scope()
    seat = inbox.act(scope, task_id, action, payload)
    return inbox.task_detail(scope, seat.id)


@blp.route("/flow-tasks/<int:task_id>/approve")
class Approve(MethodView):
    @blp.arguments(FlowApproveIn)
    @blp.response(200, FlowTaskDetail)
    def post(self, payload, task_id):
        """Approve: the flow moves on (a countersign waits for everyone)."""
        return _decide("approve", payload, task_id)


@blp.route("/flow-tasks/<int:task_id>/reject")
class Reject(MethodView):
    @blp.arguments(FlowDecisionIn)
    @blp.response(200, FlowTaskDetail)
    def post(self, payload, task_id):
        """Reject: the flow takes the step's reject path, or ends as rejected."""
        return _decide("reject", payload, task_id)


@blp.route("/flow-tasks/<int:task_id>/return")
class Return(MethodView):
    @blp.arguments(FlowReturnIn)
    @blp.response(200, FlowTaskDetail)
    def post(self, payload, task_id):
        """Return the flow to an earlier step (by default the one before this one)."""
        return _decide("return", payload, task_id)


@blp.route("/flow-tasks/<int:task_id>/transfer")
class Transfer(MethodView):
    @blp.arguments(FlowTransferIn)
    @blp.response(200, FlowTaskDetail)
    def post(self, payload, task_id):
        """Hand this task over to someone else."""
        return _decide("transfer", payload, task_id)
