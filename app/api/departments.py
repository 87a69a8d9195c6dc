"""The department tree of the caller's tenant."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.api.common import Id, list_of
from app.api.context import current_scope
from app.auth import departments
from app.auth.permissions import require
from app.models import Department

blp = Blueprint(
    "departments", __name__, url_prefix="/api/v1/departments", description="Departments"
)


class DepartmentOut(Schema):
    id = fields.Int()
    name = fields.Str()
    parent_id = fields.Int(allow_none=True)
    head_user_id = fields.Int(allow_none=True)
    sort_order = fields.Int()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class DepartmentPatch(Schema):
    name = fields.Str(validate=validate.Length(min=1, max=200))
    parent_id = Id(allow_none=True)
    head_user_id = Id(allow_none=True)
    sort_order = fields.Int(validate=validate.Range(min=-(10**6), max=10**6))


class DepartmentIn(DepartmentPatch):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=200))


@blp.route("")
class Departments(MethodView):
    @blp.response(200, list_of(DepartmentOut, "DepartmentList"))
    def get(self):
        """All departments as a flat list (parent_id builds the tree)."""
        return {"items": departments.list_departments(current_scope())}

    @blp.arguments(DepartmentIn)
    @blp.response(201, DepartmentOut)
    def post(self, payload):
        """Create a department."""
        scope = current_scope()
        require(scope.user, "admin.departments")
        return departments.create_department(scope, payload)


@blp.route("/<int:department_id>")
class DepartmentItem(MethodView):
    @blp.response(200, DepartmentOut)
    def get(self, department_id):
        """One department."""
        return current_scope().get(Department, department_id, "department")

    @blp.arguments(DepartmentPatch)
    @blp.response(200, DepartmentOut)
    def patch(self, payload, department_id):
        """Rename, move or change the head of a department."""
        scope = current_scope()
        require(scope.user, "admin.departments")
        return departments.update_department(scope, department_id, payload)

    @blp.response(204)
    def delete(self, department_id):
        """Delete an empty department (409 while it has sub-departments or users)."""
        scope = current_scope()
        require(scope.user, "admin.departments")
        departments.delete_department(scope, department_id)
