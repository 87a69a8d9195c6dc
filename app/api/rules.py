"""Warning rules: design, preview, publish, run now; the alert board and level history."""

from __future__ import annotations

from croniter import croniter
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates

from app.api.common import Id, PageArgs, list_of, page_of
from app.api.context import current_scope
from app.api.errors import caller_language
from app.auth.permissions import require
from app.rules import board, preview, rules

blp = Blueprint("rules", __name__, url_prefix="/api/v1", description="Warning rules and alerts")
KEY = validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$", error="a-z, 0-9 and _, starting with a letter")


class RuleOut(Schema):
    id = fields.Int()
    app_id = fields.Int(allow_none=True)
    key = fields.Str()
    label = fields.Dict()
    draft = fields.Dict()
    published_version = fields.Int(allow_none=True)
    schedule = fields.Str()
    enabled = fields.Bool()
    last_scan_at = fields.DateTime(allow_none=True)


class RulePatch(Schema):
    label = fields.Dict()
    draft = fields.Dict()
    schedule = fields.Str(validate=validate.Length(min=9, max=64))
    enabled = fields.Bool()
    app_id = Id(allow_none=True)

    @validates("schedule")
    def _cron(self, value: str, **_) -> None:
        if not croniter.is_valid(value):
            raise ValidationError("Not a cron expression (e.g. '0 2 * * *').")


class RuleIn(RulePatch):
    key = fields.Str(validate=KEY, metadata={"description": "made from the label when not given"})
    label = fields.Dict(required=True)
    draft = fields.Dict(required=True)


class PreviewIn(Schema):
    draft = fields.Dict(load_default=None)


class AlertOut(Schema):
    id = fields.Int()
    rule_id = fields.Int()
    form_id = fields.Int()
    record_id = fields.Int()
    level = fields.Str()
    metric = fields.Decimal(as_string=True, allow_none=True)
    days_left = fields.Int(allow_none=True)
    quantity = fields.Decimal(as_string=True, allow_none=True)
    value = fields.Decimal(as_string=True, allow_none=True)
    category = fields.Str(allow_none=True)
    warehouse = fields.Str(allow_none=True)
    title = fields.Str()
    first_seen_at = fields.DateTime()
    level_since = fields.DateTime()
    escalations = fields.Int()
    handled_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    close_reason = fields.Str(allow_none=True)


class AlertFilters(Schema):
    rule_id = Id(load_default=None)
    level = fields.Str(load_default=None, validate=validate.OneOf(["yellow", "red", "expired"]))
    warehouse = fields.Str(load_default=None)
    category = fields.Str(load_default=None)
    closed = fields.Bool(load_default=False)


class AlertQuery(PageArgs, AlertFilters):
    pass


class EventOut(Schema):
    id = fields.Int()
    alert_id = fields.Int()
    from_level = fields.Str(allow_none=True)
    to_level = fields.Str(allow_none=True)
    at = fields.DateTime()


def _designer():
    scope = current_scope()
    require(scope.user, "rules.manage")
    return scope


@blp.route("/rules")
class Rules(MethodView):
    @blp.response(200, list_of(RuleOut, "RuleList"))
    def get(self):
        """All warning rules."""
        return {"items": rules.list_rules(current_scope())}

    @blp.arguments(RuleIn)
    @blp.response(201, RuleOut)
    def post(self, payload):
        """Create a rule (a draft until published)."""
        return rules.create_rule(_designer(), payload, caller_language())


@blp.route("/rules/<int:rule_id>")
class RuleItem(MethodView):
    @blp.response(200, RuleOut)
    def get(self, rule_id):
        """One rule with its draft."""
        return rules.get_rule(current_scope(), rule_id)

    @blp.arguments(RulePatch)
    @blp.response(200, RuleOut)
    def patch(self, payload, rule_id):
        """Save the draft, the schedule or switch the rule on or off."""
        return rules.update_rule(_designer(), rule_id, payload)

    @blp.response(204)
    def delete(self, rule_id):
        """Archive the rule: unpublish and hide it, closing its open alerts."""
        rules.archive_rule(_designer(), rule_id)


@blp.route("/rules/<int:rule_id>/preview")
class RulePreview(MethodView):
    @blp.arguments(PreviewIn)
    @blp.response(200)
    def post(self, payload, rule_id):
        """What the draft (or the given definition) would flag, and what would change."""
        return preview.preview(_designer(), rule_id, payload["draft"])


@blp.route("/rules/<int:rule_id>/publish")
class RulePublish(MethodView):
    @blp.response(201)
    def post(self, rule_id):
        """Publish the draft as a new version."""
        version = rules.publish_rule(_designer(), rule_id)
        return {"version": version.version}


@blp.route("/rules/<int:rule_id>/run")
class RuleRun(MethodView):
    @blp.response(200)
    def post(self, rule_id):
        """Run now: classify every row, open/escalate/close alerts, fire actions."""
        return rules.scan(_designer(), rule_id)


@blp.route("/alerts")
class Alerts(MethodView):
    @blp.arguments(AlertQuery, location="query")
    @blp.response(200, page_of(AlertOut, "AlertPage"))
    def get(self, args):
        """The alert board: open (or closed) alerts with filters, most urgent first."""
        scope = current_scope()
        require(scope.user, "records.read")
        return board.list_alerts(scope, args)


@blp.route("/alerts/summary")
class AlertSummary(MethodView):
    @blp.arguments(AlertFilters, location="query")
    @blp.response(200)
    def get(self, args):
        """Alerts counted by level, with quantities and value, under the board's filters."""
        scope = current_scope()
        require(scope.user, "records.read")
        return board.summary(scope, args)


@blp.route("/alerts/<int:alert_id>/events")
class AlertEvents(MethodView):
    @blp.response(200, list_of(EventOut, "AlertEventList"))
    def get(self, alert_id):
        """The record's level history under this alert's rule."""
        scope = current_scope()
        require(scope.user, "records.read")
        return {"items": board.history(scope, alert_id)}
