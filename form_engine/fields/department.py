"""A department of the tenant."""

from __future__ import annotations

from form_engine.fields.reference import ReferenceField


class DepartmentField(ReferenceField):
    name = "department"
    ui = "department"
    target_kind = "departments"
