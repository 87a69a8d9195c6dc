"""Apps and their forms: drafts, publishing, versions and diffs."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields, validate

from app.api.common import Id, list_of
from app.api.context import current_scope
from app.api.errors import caller_language, wants_chinese
from app.api.messages_zh import to_chinese
from app.auth.permissions import require
from app.forms import apps, forms
from app.models import App, Form
from app.packages import packages
from app.packages.report import Report
from app.packages.schema import MAX_ROWS

blp = Blueprint("apps", __name__, url_prefix="/api/v1", description="Apps and forms")

KEY = validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$", error="a-z, 0-9 and _, starting with a letter")
Label = fields.Dict(
    keys=fields.Str(validate=validate.OneOf(["zh", "en"])),
    values=fields.Str(validate=validate.Length(max=200)),
)


class AppOut(Schema):
    id = fields.Int()
    key = fields.Str()
    label = fields.Dict()
    description = fields.Str()
    icon = fields.Str()


class AppPatch(Schema):
    label = Label
    description = fields.Str(validate=validate.Length(max=2000))
    icon = fields.Str(validate=validate.Length(max=64))


class AppIn(AppPatch):
    key = fields.Str(validate=KEY, metadata={"description": "made from the label when not given"})
    label = fields.Dict(required=True)


class FormOut(Schema):
    id = fields.Int()
    app_id = fields.Int()
    key = fields.Str()
    label = fields.Dict()
    draft = fields.Dict()
    table_name = fields.Str()
    published_version = fields.Int(allow_none=True)
    updated_at = fields.DateTime()


class FormPatch(Schema):
    label = Label
    draft = fields.Dict()


class FormIn(FormPatch):
    key = fields.Str(validate=KEY, metadata={"description": "made from the label when not given"})
    label = fields.Dict(required=True)


class VersionOut(Schema):
    id = fields.Int()
    form_id = fields.Int()
    version = fields.Int()
    meta = fields.Dict()
    changes = fields.List(fields.Str())
    published_by = fields.Int(allow_none=True)
    created_at = fields.DateTime()


class DiffOut(Schema):
    added = fields.List(fields.Dict())
    removed = fields.List(fields.Dict())
    relabelled = fields.List(fields.Dict())
    changed = fields.List(fields.Dict())


class PreviewOut(Schema):
    version = fields.Int()
    diff = fields.Nested(DiffOut)


class PackageIn(Schema):
    """An app package (``seeds/README.md``); its shape is checked by the import itself, so
    every problem comes back under its path in the package."""

    class Meta:
        unknown = INCLUDE

    format = fields.Raw(metadata={"description": "greenshelf.app/1"})
    app = fields.Raw(metadata={"description": "key, label, description, icon"})
    forms = fields.Raw()
    flows = fields.Raw()
    rules = fields.Raw()
    charts = fields.Raw()
    dashboards = fields.Raw()
    roles = fields.Raw()
    connectors = fields.Raw(metadata={"description": "without secrets"})
    data = fields.Raw(metadata={"description": "sample records: {form key: [records]}"})


class ExportQuery(Schema):
    with_data = fields.Bool(
        load_default=False,
        metadata={"description": f"with the records, at most {MAX_ROWS} per form"},
    )


class PackageReportOut(Schema):
    importable = fields.Bool(metadata={"description": "nothing stands in the way"})
    create = fields.Dict(
        keys=fields.Str(),
        values=fields.List(fields.Dict()),
        metadata={"description": "by part: what would be created (key, label, counts)"},
    )
    keep = fields.Dict(
        keys=fields.Str(),
        values=fields.List(fields.Dict()),
        metadata={"description": "by part: what is there already and is kept as it is"},
    )
    problems = fields.Dict(
        keys=fields.Str(),
        values=fields.List(fields.Str()),
        metadata={"description": "path in the package -> messages"},
    )
    missing_users = fields.List(fields.Str())


class AppImportOut(AppOut):
    report = fields.Nested(PackageReportOut)


class FormQuery(Schema):
    app_id = Id(load_default=None)


def _designer():
    scope = current_scope()
    require(scope.user, "apps.design")
    return scope


def in_callers_language(problems: dict[str, list[str]]) -> dict[str, list[str]]:
    """Problems by path, their messages in the caller's language."""
    if not wants_chinese():
        return problems
    return {path: [to_chinese(m) for m in messages] for path, messages in problems.items()}


def translated(report: Report) -> dict:
    """A package report with its problems in the caller's language."""
    return {**report.as_dict(), "problems": in_callers_language(report.problems)}


@blp.route("/apps")
class Apps(MethodView):
    @blp.response(200, list_of(AppOut, "AppList"))
    def get(self):
        """All apps of the tenant."""
        return {"items": apps.list_apps(current_scope())}

    @blp.arguments(AppIn)
    @blp.response(201, AppOut)
    def post(self, payload):
        """Create an app."""
        return apps.create_app_record(_designer(), payload, caller_language())


@blp.route("/apps/<int:app_id>")
class AppItem(MethodView):
    @blp.response(200, AppOut)
    def get(self, app_id):
        """One app."""
        return current_scope().get(App, app_id, "app")

    @blp.arguments(AppPatch)
    @blp.response(200, AppOut)
    def patch(self, payload, app_id):
        """Rename or describe an app."""
        return apps.update_app(_designer(), app_id, payload)

    @blp.response(204)
    def delete(self, app_id):
        """Delete an app that has no forms."""
        apps.delete_app(_designer(), app_id)


@blp.route("/apps/<int:app_id>/forms")
class AppForms(MethodView):
    @blp.arguments(FormIn)
    @blp.response(201, FormOut)
    def post(self, payload, app_id):
        """Create a form (a draft until published)."""
        return forms.create_form(_designer(), app_id, payload, caller_language())


@blp.route("/forms")
class Forms(MethodView):
    @blp.arguments(FormQuery, location="query")
    @blp.response(200, list_of(FormOut, "FormList"))
    def get(self, args):
        """Forms of the tenant, optionally of one app."""
        return {"items": forms.list_forms(current_scope(), args["app_id"])}


@blp.route("/forms/<int:form_id>")
class FormItem(MethodView):
    @blp.response(200, FormOut)
    def get(self, form_id):
        """One form with its draft."""
        return current_scope().get(Form, form_id, "form")

    @blp.arguments(FormPatch)
    @blp.response(200, FormOut)
    def patch(self, payload, form_id):
        """Save the draft (checked when published) or the label; a field without a key gets
        one made from its label."""
        return forms.update_form(_designer(), form_id, payload, caller_language())


@blp.route("/forms/<int:form_id>/publish")
class Publish(MethodView):
    @blp.response(200, PreviewOut)
    def get(self, form_id):
        """What publishing the draft would change."""
        return forms.preview_publish(_designer(), form_id)

    @blp.response(201, VersionOut)
    def post(self, form_id):
        """Publish the draft: creates or extends the form's table."""
        return forms.publish(_designer(), form_id)


@blp.route("/forms/<int:form_id>/versions")
class Versions(MethodView):
    @blp.response(200, list_of(VersionOut, "VersionList"))
    def get(self, form_id):
        """Every published version."""
        return {"items": forms.list_versions(current_scope(), form_id)}


@blp.route("/forms/<int:form_id>/versions/<int:old>/diff/<int:new>")
class VersionDiff(MethodView):
    @blp.response(200, DiffOut)
    def get(self, form_id, old, new):
        """What changed between two versions."""
        return forms.version_diff(current_scope(), form_id, old, new)


@blp.route("/forms/<int:form_id>/schema")
class FormSchema(MethodView):
    @blp.response(200)
    def get(self, form_id):
        """The published version's fields and JSON Schema, for renderers."""
        _, form_c = forms.compiled(current_scope(), form_id)
        return {
            "version": form_c.version,
            "fields": list(form_c.fields.values()),
            "json_schema": form_c.json_schema,
        }


@blp.route("/apps/<int:app_id>/export")
class AppExport(MethodView):
    @blp.arguments(ExportQuery, location="query")
    @blp.response(200)
    def get(self, args, app_id):
        """The app as one package file: forms, flows, rules, charts, dashboards, the roles
        and connectors they name (no secrets), and with ``with_data`` its records."""
        return packages.export_app(_designer(), app_id, args["with_data"])


@blp.route("/apps/import/preview")
class AppImportPreview(MethodView):
    @blp.arguments(PackageIn)
    @blp.response(200, PackageReportOut)
    def post(self, payload):
        """What importing this package would create and keep, and every problem with its
        path in the package; nothing is written."""
        return translated(packages.preview_import(_designer(), payload))


@blp.route("/apps/import")
class AppImport(MethodView):
    @blp.arguments(PackageIn)
    @blp.response(201, AppImportOut)
    def post(self, payload):
        """Install an app package exported from this or another installation, whole or not
        at all: a package with any problem is refused (422, or 409 when only keys are
        taken) with every problem by path, and nothing is created."""
        result = packages.import_app(_designer(), payload)
        app = result.app
        return {
            **{k: getattr(app, k) for k in ("id", "key", "label", "description", "icon")},
            "report": translated(result.report),
        }
