"""Apps and their forms: drafts, publishing, versions and diffs."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.common import Id, list_of
from app.api.context import current_scope
from app.auth.permissions import require
from app.forms import apps, forms
from app.models import App, Form
from app.packages import packages

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
    key = fields.Str(required=True, validate=KEY)
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
    key = fields.Str(required=True, validate=KEY)
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
    format = fields.Str(required=True)
    app = fields.Dict(required=True)
    forms = fields.List(fields.Dict(), load_default=list)
    rules = fields.List(fields.Dict(), load_default=list)
    charts = fields.List(fields.Dict(), load_default=list)
    dashboards = fields.List(fields.Dict(), load_default=list)
    roles = fields.List(fields.Dict(), load_default=list)


class FormQuery(Schema):
    app_id = Id(load_default=None)


def _designer():
    scope = current_scope()
    require(scope.user, "apps.design")
    return scope


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
        return apps.create_app_record(_designer(), payload)


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
        return forms.create_form(_designer(), app_id, payload)


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
        """Save the draft (checked when published) or the label."""
        return forms.update_form(_designer(), form_id, payload)


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
    @blp.response(200)
    def get(self, app_id):
        """The app as a package: forms and rules, no records, no secrets."""
        return packages.export_app(_designer(), app_id)


@blp.route("/apps/import")
class AppImport(MethodView):
    @blp.arguments(PackageIn)
    @blp.response(201, AppOut)
    def post(self, payload):
        """Install an app package exported from this or another installation."""
        return packages.import_app(_designer(), payload)
