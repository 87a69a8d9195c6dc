"""Records of a published form: list with filters, create, bulk create, read, patch, delete."""

from __future__ import annotations

import json

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates

from app.api.common import PageArgs
from app.api.context import current_scope
from app.auth.permissions import require
from app.forms import records

blp = Blueprint(
    "records", __name__, url_prefix="/api/v1/forms/<int:form_id>/records", description="Records"
)


class RecordBody(Schema):
    """The form's fields by key; checked against the published form."""

    class Meta:
        unknown = INCLUDE


class RecordPatch(Schema):
    row_version = fields.Int(required=True, strict=True)
    values = fields.Dict(required=True)


class BulkIn(Schema):
    records = fields.List(fields.Dict(), required=True, validate=validate.Length(min=1, max=5000))


class BulkOut(Schema):
    ids = fields.List(fields.Int())


class RecordQuery(PageArgs):
    filter = fields.Str(load_default=None, metadata={"description": "JSON expression"})
    sort = fields.Str(load_default=None, metadata={"description": "a,-b"})
    fields_ = fields.Str(data_key="fields", load_default=None)
    deleted = fields.Bool(load_default=False)

    @validates("filter")
    def _filter_is_json(self, value, **_):
        if value is not None:
            try:
                json.loads(value)
            except ValueError:
                raise ValidationError("Not valid JSON.") from None


def _reader():
    scope = current_scope()
    require(scope.user, "records.read")
    return scope


def _writer():
    scope = current_scope()
    require(scope.user, "records.write")
    return scope


def _split(text: str | None) -> list[str] | None:
    return [p.strip() for p in text.split(",") if p.strip()] if text else None


@blp.route("")
class Records(MethodView):
    @blp.arguments(RecordQuery, location="query")
    @blp.response(200)
    def get(self, args, form_id):
        """Records in the caller's data scope, filtered, sorted and paged."""
        return records.list_records(
            _reader(),
            form_id,
            condition=json.loads(args["filter"]) if args["filter"] else None,
            sort=_split(args["sort"]),
            page=args["page"],
            page_size=args["page_size"],
            fields=_split(args["fields_"]),
            include_deleted=args["deleted"],
        )

    @blp.arguments(RecordBody)
    @blp.response(201)
    def post(self, payload, form_id):
        """Create a record."""
        return records.create_record(_writer(), form_id, payload)


@blp.route("/bulk")
class Bulk(MethodView):
    @blp.arguments(BulkIn)
    @blp.response(201, BulkOut)
    def post(self, payload, form_id):
        """Create many records: all or none."""
        return {"ids": records.bulk_create_records(_writer(), form_id, payload["records"])}


@blp.route("/<int:record_id>")
class RecordItem(MethodView):
    @blp.response(200)
    def get(self, form_id, record_id):
        """One record with its sub-table rows."""
        return records.get_record(_reader(), form_id, record_id)

    @blp.arguments(RecordPatch)
    @blp.response(200)
    def patch(self, payload, form_id, record_id):
        """Change fields; send the row_version you read (409 with the current row if stale)."""
        return records.update_record(
            _writer(), form_id, record_id, payload["values"], payload["row_version"]
        )

    @blp.response(200)
    def delete(self, form_id, record_id):
        """Move a record to the bin (restore undoes it)."""
        return records.set_record_deleted(_writer(), form_id, record_id, True)


@blp.route("/<int:record_id>/restore")
class Restore(MethodView):
    @blp.response(200)
    def post(self, form_id, record_id):
        """Bring a deleted record back."""
        return records.set_record_deleted(_writer(), form_id, record_id, False)
