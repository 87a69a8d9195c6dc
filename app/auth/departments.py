"""Use cases on the department tree: list, create, move, rename, delete."""

from __future__ import annotations

from app.auth.scope import Scope
from app.auth.users import assert_user_exists
from app.errors import Conflict, ValidationError
from app.models import Department, User

EDITABLE = ("name", "parent_id", "head_user_id", "sort_order")


def list_departments(scope: Scope) -> list[Department]:
    stmt = scope.select(Department).order_by(Department.sort_order, Department.id)
    return list(scope.session.scalars(stmt))


def _check_parent(scope: Scope, department: Department, parent_id: int | None) -> None:
    """The parent must exist in this tenant and must not be the department or below it."""
    seen = set()
    current = parent_id
    while current is not None:
        if department.id is not None and current == department.id:
            raise ValidationError(
                "A department cannot sit below itself.",
                {"parent_id": ["This would make a cycle."]},
            )
        if current in seen:
            break
        seen.add(current)
        parent = scope.session.scalar(scope.select(Department).where(Department.id == current))
        if parent is None:
            raise ValidationError(
                "Unknown parent department.", {"parent_id": [f"No department with id {current}."]}
            )
        current = parent.parent_id


def _apply(scope: Scope, department: Department, data: dict) -> None:
    if "parent_id" in data:
        _check_parent(scope, department, data["parent_id"])
    if "head_user_id" in data:
        assert_user_exists(scope, data["head_user_id"], "head_user_id")
    for key in EDITABLE:
        if key in data:
            setattr(department, key, data[key])


def create_department(scope: Scope, data: dict) -> Department:
    department = Department(name=data["name"])
    _apply(scope, department, data)
    scope.add(department)
    scope.session.commit()
    return department


def update_department(scope: Scope, department_id: int, data: dict) -> Department:
    department = scope.get(Department, department_id, "department")
    _apply(scope, department, data)
    scope.session.commit()
    return department


def delete_department(scope: Scope, department_id: int) -> None:
    department = scope.get(Department, department_id, "department")
    children = scope.session.scalar(
        scope.select(Department).where(Department.parent_id == department.id).limit(1)
    )
    if children is not None:
        raise Conflict("This department has sub-departments: move or delete them first.")
    member = scope.session.scalar(
        scope.select(User)
        .where(User.department_id == department.id, User.deleted_at.is_(None))
        .limit(1)
    )
    if member is not None:
        raise Conflict("This department still has users: move them first.")
    scope.session.delete(department)
    scope.session.commit()


def descendant_ids(departments: list[Department], root_id: int) -> set[int]:
    """The department and every department below it (for 'own department and below' scopes)."""
    children: dict[int | None, list[int]] = {}
    for d in departments:
        children.setdefault(d.parent_id, []).append(d.id)
    found, stack = set(), [root_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found
