"""Excel/CSV templates, imports with progress and error workbooks, and exports."""

from __future__ import annotations

import io
import json
import tempfile

from flask import current_app, request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates

from app.api.context import current_scope
from app.api.records import RecordQuery, _split
from app.auth.permissions import require
from app.forms import imports
from app.tasks.imports import import_records

blp = Blueprint(
    "spreadsheets",
    __name__,
    url_prefix="/api/v1/forms/<int:form_id>",
    description="Excel and CSV import and export",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportOut(Schema):
    id = fields.Int()
    form_id = fields.Int()
    filename = fields.Str()
    status = fields.Str()
    total = fields.Int()
    processed = fields.Int()
    inserted = fields.Int()
    updated = fields.Int()
    error_count = fields.Int()
    errors = fields.List(fields.Dict())
    message = fields.Str()
    options = fields.Dict()


class ImportForm(Schema):
    dry_run = fields.Bool(load_default=False)
    mode = fields.Str(load_default="insert", validate=validate.OneOf(["insert", "upsert"]))
    key_field = fields.Str(load_default=None)
    mapping = fields.Str(load_default=None, metadata={"description": "JSON {header: field}"})

    @validates("mapping")
    def _json(self, value, **_):
        if value is not None:
            try:
                if not isinstance(json.loads(value), dict):
                    raise ValueError
            except ValueError:
                raise ValidationError("A JSON object of header -> field key.") from None


class ExportQuery(RecordQuery):
    format = fields.Str(load_default="xlsx", validate=validate.OneOf(["xlsx", "csv"]))
    locale = fields.Str(load_default="zh", validate=validate.OneOf(["zh", "en"]))


def _writer():
    scope = current_scope()
    require(scope.user, "records.write")
    return scope


@blp.route("/excel/template")
class Template(MethodView):
    @blp.response(200)
    def get(self, form_id):
        """An empty workbook with the form's columns and a help sheet."""
        scope = current_scope()
        require(scope.user, "records.read")
        locale = "en" if request.args.get("locale") == "en" else "zh"
        form, content = imports.template_file(scope, form_id, locale)
        return send_file(
            io.BytesIO(content),
            mimetype=XLSX,
            as_attachment=True,
            download_name=f"{form.key}-template.xlsx",
        )


@blp.route("/imports")
class Imports(MethodView):
    @blp.arguments(ImportForm, location="form")
    @blp.response(202, ImportOut)
    def post(self, args, form_id):
        """Upload a file (multipart field `file`); small files finish in this answer."""
        scope = _writer()
        upload = request.files.get("file")
        options = {
            "dry_run": args["dry_run"],
            "key_field": args["key_field"],
            "mode": args["mode"],
            "mapping": json.loads(args["mapping"]) if args["mapping"] else None,
        }
        return imports.start_import(
            scope,
            form_id,
            upload.filename if upload else None,
            upload.read() if upload else b"",
            options,
            current_app.config["INSTANCE_PATH"],
            import_records.delay,
        )


@blp.route("/imports/<int:import_id>")
class ImportItem(MethodView):
    @blp.response(200, ImportOut)
    def get(self, form_id, import_id):
        """Progress and result of an import."""
        return imports.get_import(_writer(), form_id, import_id)


@blp.route("/imports/<int:import_id>/errors.xlsx")
class ImportErrors(MethodView):
    @blp.response(200)
    def get(self, form_id, import_id):
        """The rows that were not imported, with the reason, to fix and import again."""
        content = imports.error_file(
            _writer(), form_id, import_id, current_app.config["INSTANCE_PATH"]
        )
        return send_file(
            io.BytesIO(content),
            mimetype=XLSX,
            as_attachment=True,
            download_name=f"import-{import_id}-errors.xlsx",
        )


@blp.route("/export")
class Export(MethodView):
    @blp.arguments(ExportQuery, location="query")
    @blp.response(200)
    def get(self, args, form_id):
        """The current view (filter, sort, columns) as xlsx or CSV."""
        scope = current_scope()
        require(scope.user, "records.read")
        out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
        imports.export_file(
            scope,
            form_id,
            out,
            fmt=args["format"],
            locale=args["locale"],
            condition=json.loads(args["filter"]) if args["filter"] else None,
            sort=_split(args["sort"]),
            fields=_split(args["fields_"]),
        )
        out.seek(0)
        mimetype = XLSX if args["format"] == "xlsx" else "text/csv; charset=utf-8"
        return send_file(
            out,
            mimetype=mimetype,
            as_attachment=True,
            download_name=f"export-{form_id}.{args['format']}",
        )
