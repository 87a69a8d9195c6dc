"""The template gallery: the template apps of ``seeds/``, a preview of what installing one
creates, and installs (with demo records, on a worker) whose progress the console follows."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.api.apps import PackageReportOut, in_callers_language, translated
from app.api.common import list_of
from app.api.context import current_scope
from app.api.errors import wants_chinese
from app.api.messages_zh import to_chinese
from app.auth.permissions import require
from app.packages import seeding
from app.tasks.templates import install_template

blp = Blueprint(
    "templates", __name__, url_prefix="/api/v1", description="Template apps and their installs"
)


class ContentsOut(Schema):
    forms = fields.List(fields.Raw())
    flows = fields.List(fields.Raw())
    rules = fields.List(fields.Raw())
    charts = fields.List(fields.Raw())
    dashboards = fields.List(fields.Raw())
    roles = fields.List(fields.Raw())
    connectors = fields.List(fields.Raw())


class TemplateOut(Schema):
    name = fields.Str()
    label = fields.Dict()
    description = fields.Str()
    icon = fields.Str()
    demo = fields.Bool(metadata={"description": "it can bring demo records"})
    contents = fields.Nested(ContentsOut, metadata={"description": "labels of each part"})
    app_id = fields.Int(
        allow_none=True, metadata={"description": "the app it installed in this tenant"}
    )


class InstallIn(Schema):
    demo = fields.Bool(load_default=False, metadata={"description": "also write demo records"})


class InstallOut(Schema):
    id = fields.Int()
    template = fields.Str()
    demo = fields.Bool()
    status = fields.Str(metadata={"description": "queued, running, done or failed"})
    step = fields.Str(metadata={"description": "app (the package), then data (demo records)"})
    total = fields.Int(metadata={"description": "demo records to write"})
    processed = fields.Int()
    app_id = fields.Int(allow_none=True)
    message = fields.Str()
    errors = fields.Dict()
    lines = fields.List(fields.Str())


def _designer():
    scope = current_scope()
    require(scope.user, "apps.design")
    return scope


def _job(job) -> dict:
    """An install as the API shows it: why it failed in the caller's language."""
    body = {k: getattr(job, k) for k in InstallOut._declared_fields}
    body["errors"] = in_callers_language(job.errors or {})
    if job.message and wants_chinese():
        body["message"] = to_chinese(job.message)
    return body


@blp.route("/templates")
class Templates(MethodView):
    @blp.response(200, list_of(TemplateOut, "TemplateList"))
    def get(self):
        """The template apps, what each holds, and whether it is installed here."""
        return {"items": seeding.gallery(_designer())}


@blp.route("/templates/<name>/preview")
class TemplatePreview(MethodView):
    @blp.response(200, PackageReportOut)
    def get(self, name):
        """What installing the template would create and keep, and any problem."""
        return translated(seeding.preview_template(_designer(), name))


@blp.route("/templates/<name>/install")
class TemplateInstall(MethodView):
    @blp.arguments(InstallIn)
    @blp.response(202, InstallOut)
    def post(self, payload, name):
        """Install a template app; with demo records it runs on a worker: follow the job."""
        return _job(
            seeding.start_install(_designer(), name, payload["demo"], install_template.delay)
        )


@blp.route("/templates/jobs/<int:job_id>")
class TemplateJob(MethodView):
    @blp.response(200, InstallOut)
    def get(self, job_id):
        """Progress and outcome of a template install."""
        return _job(seeding.get_install(_designer(), job_id))
