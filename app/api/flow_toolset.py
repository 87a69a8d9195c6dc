"""The approval toolset beyond approve / reject / return / transfer: delegate, add a signer,
copy people in, the steps a task may return to, withdraw and urge an instance, and
out-of-office delegations."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.common import Id, list_of
from app.api.context import current_scope
from app.api.flows import Comment, FlowDecisionIn, FlowInstanceOut, FlowTaskDetail
from app.flows import delegations, inbox, initiator, instances

blp = Blueprint("flow_toolset", __name__, url_prefix="/api/v1", description="Approval toolset")


class FlowHandOverIn(FlowDecisionIn):
    user_id = Id(required=True)


class FlowAddSignerIn(FlowHandOverIn):
    position = fields.Str(
        load_default="before",
        validate=validate.OneOf(["before", "after"]),
        metadata={"description": "before: they approve first, then it comes back to you"},
    )


class FlowCopyIn(FlowDecisionIn):
    user_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=50))


class FlowReturnTargetOut(Schema):
    node_id = fields.Str()
    node_name = fields.Str()


class FlowInstanceNoteIn(Schema):
    comment = Comment


class FlowUrgedOut(Schema):
    notified = fields.List(fields.Dict())


class FlowDelegationIn(Schema):
    delegate_id = Id(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    definition_id = Id(load_default=None, metadata={"description": "one flow; empty: all"})
    reason = fields.Str(load_default="", validate=validate.Length(max=500))


class FlowDelegationOut(Schema):
    id = fields.Int()
    user_id = fields.Int()
    user_name = fields.Str()
    delegate_id = fields.Int()
    delegate_name = fields.Str()
    definition_id = fields.Int(allow_none=True)
    starts_on = fields.Date()
    ends_on = fields.Date()
    reason = fields.Str()
    cancelled = fields.Bool()
    created_at = fields.DateTime()


def _decide(action: str, payload: dict, task_id: int):
    scope = current_scope()
    seat = inbox.act(scope, task_id, action, payload)
    return inbox.task_detail(scope, seat.id)


@blp.route("/flow-tasks/<int:task_id>/delegate")
class Delegate(MethodView):
    @blp.arguments(FlowHandOverIn)
    @blp.response(200, FlowTaskDetail)
    def post(self, payload, task_id):
        """Let someone act on this task on your behalf (the history says so)."""
        return _decide("delegate", payload, task_id)


@blp.route("/flow-tasks/<int:task_id>/add-signer")
class AddSigner(MethodView):
    @blp.arguments(FlowAddSignerIn)
    @blp.response(200, FlowTaskDetail)
    def post(self, payload, task_id):
        """Add a signer before you (they approve first, then it comes back to you) or after
        you (you approve now, the step then waits for them)."""
        return _decide("add_signer", payload, task_id)


@blp.route("/flow-tasks/<int:task_id>/cc")
class Copy(MethodView):
    @blp.arguments(FlowCopyIn)
    @blp.response(200, FlowTaskDetail)
    def post(self, payload, task_id):
        """Copy people in: the flow shows in their "CC to me" box and they are told."""
        return _decide("cc", payload, task_id)


@blp.route("/flow-tasks/<int:task_id>/return-targets")
class ReturnTargets(MethodView):
    @blp.response(200, list_of(FlowReturnTargetOut, "FlowReturnTargetList"))
    def get(self, task_id):
        """The earlier steps this task can be returned to, nearest first."""
        return {"items": inbox.return_targets(current_scope(), task_id)}


@blp.route("/flow-instances/<int:instance_id>/withdraw")
class Withdraw(MethodView):
    @blp.arguments(FlowInstanceNoteIn)
    @blp.response(200, FlowInstanceOut)
    def post(self, payload, instance_id):
        """Withdraw a flow you started, as long as nobody has decided on it."""
        scope = current_scope()
        initiator.withdraw(scope, instance_id, payload["comment"])
        return instances.instance_detail(scope, instance_id)


@blp.route("/flow-instances/<int:instance_id>/urge")
class Urge(MethodView):
    @blp.arguments(FlowInstanceNoteIn)
    @blp.response(200, FlowUrgedOut)
    def post(self, payload, instance_id):
        """Remind the people your flow waits for (at most once every 10 minutes; 429 before)."""
        return initiator.urge(current_scope(), instance_id, payload["comment"])


@blp.route("/flow-delegations")
class Delegations(MethodView):
    @blp.response(200, list_of(FlowDelegationOut, "FlowDelegationList"))
    def get(self):
        """My out-of-office delegations, and those that name me as the delegate."""
        return {"items": delegations.list_delegations(current_scope())}

    @blp.arguments(FlowDelegationIn)
    @blp.response(201, FlowDelegationOut)
    def post(self, payload):
        """While I am away, my new tasks (of one flow or all) go to someone else."""
        return delegations.create_delegation(current_scope(), payload)


@blp.route("/flow-delegations/<int:delegation_id>")
class DelegationItem(MethodView):
    @blp.response(200, FlowDelegationOut)
    def delete(self, delegation_id):
        """Cancel one of my delegations now."""
        return delegations.cancel_delegation(current_scope(), delegation_id)
