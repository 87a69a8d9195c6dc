"""The to-do centre and the in-app inbox of the caller."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.common import PageArgs, list_of, page_of
from app.api.context import current_scope
from app.rules import todos

blp = Blueprint("todos", __name__, url_prefix="/api/v1", description="To-dos and notifications")


class TodoOut(Schema):
    id = fields.Int()
    alert_id = fields.Int(allow_none=True)
    rule_id = fields.Int(allow_none=True)
    rule_name = fields.Str(allow_none=True)
    form_id = fields.Int(allow_none=True)
    record_id = fields.Int(allow_none=True)
    title = fields.Str()
    body = fields.Str()
    level = fields.Str(allow_none=True)
    days_left = fields.Int(allow_none=True)
    quantity = fields.Decimal(as_string=True, allow_none=True)
    category = fields.Str(allow_none=True)
    warehouse = fields.Str(allow_none=True)
    assignee_id = fields.Int(allow_none=True)
    status = fields.Str()
    result = fields.Str(allow_none=True)
    created_at = fields.DateTime()
    done_at = fields.DateTime(allow_none=True)


class TodoQuery(PageArgs):
    level = fields.Str(load_default=None, validate=validate.OneOf(["yellow", "red", "expired"]))
    warehouse = fields.Str(load_default=None)
    category = fields.Str(load_default=None)
    status = fields.Str(load_default=None, validate=validate.OneOf(["open", "claimed", "done"]))
    max_days_left = fields.Int(load_default=None, validate=validate.Range(min=-36_500, max=36_500))


class CompleteIn(Schema):
    result = fields.Str(required=True, validate=validate.Length(min=1, max=2000))


class NotificationOut(Schema):
    id = fields.Int()
    title = fields.Str()
    body = fields.Str()
    link = fields.Str(allow_none=True)
    channel = fields.Str()
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class InboxQuery(Schema):
    unread = fields.Bool(load_default=False)


@blp.route("/todos")
class Todos(MethodView):
    @blp.arguments(TodoQuery, location="query")
    @blp.response(200, page_of(TodoOut, "TodoPage"))
    def get(self, args):
        """My open to-dos (assigned to me or to one of my roles), most urgent first."""
        return todos.list_todos(current_scope(), args, args["page"], args["page_size"])


@blp.route("/todos/<int:todo_id>/claim")
class Claim(MethodView):
    @blp.response(200, TodoOut)
    def post(self, todo_id):
        """Take a to-do shared with my role."""
        return todos.claim(current_scope(), todo_id)


@blp.route("/todos/<int:todo_id>/complete")
class Complete(MethodView):
    @blp.arguments(CompleteIn)
    @blp.response(200, TodoOut)
    def post(self, payload, todo_id):
        """Finish a to-do with what was done; the alert counts as handled."""
        return todos.complete(current_scope(), todo_id, payload["result"])


@blp.route("/notifications")
class Notifications(MethodView):
    @blp.arguments(InboxQuery, location="query")
    @blp.response(200, list_of(NotificationOut, "NotificationList"))
    def get(self, args):
        """My in-app messages, newest first."""
        return {"items": todos.list_notifications(current_scope(), args["unread"])}


@blp.route("/notifications/<int:notification_id>/read")
class Read(MethodView):
    @blp.response(200, NotificationOut)
    def post(self, notification_id):
        """Mark a message read."""
        return todos.mark_read(current_scope(), notification_id)
