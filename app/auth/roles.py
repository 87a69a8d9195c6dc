"""Use cases on roles: the permissions they grant and the data scope they give."""

from __future__ import annotations

from app.auth.permissions import PERMISSIONS
from app.auth.scope import Scope
from app.errors import Conflict, ValidationError
from app.models import Role
from app.models.identity import DATA_SCOPES

EDITABLE = ("name", "code", "description", "permissions", "data_scope", "data_scope_condition")


def list_roles(scope: Scope) -> list[Role]:
    return list(scope.session.scalars(scope.select(Role).order_by(Role.id)))


def _validate(data: dict, role: Role | None) -> None:
    unknown = [p for p in data.get("permissions", []) if p != "*" and p not in PERMISSIONS]
    if unknown:
        raise ValidationError(
            "Unknown permission.", {"permissions": [f"'{p}' is not a permission." for p in unknown]}
        )
    data_scope = data.get("data_scope", role.data_scope if role else "own")
    if data_scope not in DATA_SCOPES:
        raise ValidationError("Unknown data scope.", {"data_scope": [f"One of {DATA_SCOPES}."]})
    condition = data.get("data_scope_condition", role.data_scope_condition if role else None)
    if data_scope == "custom" and not condition:
        raise ValidationError(
            "A custom data scope needs a condition.",
            {"data_scope_condition": ["Required when data_scope is custom."]},
        )


def _unique_code(scope: Scope, code: str, role_id: int | None) -> None:
    other = scope.session.scalar(scope.select(Role).where(Role.code == code))
    if other is not None and other.id != role_id:
        raise Conflict("This role code is taken.", {"code": ["Already in use."]})


def create_role(scope: Scope, data: dict) -> Role:
    _validate(data, None)
    _unique_code(scope, data["code"], None)
    role = Role(**{k: data[k] for k in EDITABLE if k in data})
    scope.add(role)
    scope.session.commit()
    return role


def update_role(scope: Scope, role_id: int, data: dict) -> Role:
    role = scope.get(Role, role_id, "role")
    _validate(data, role)
    if "code" in data:
        _unique_code(scope, data["code"], role.id)
    for key in EDITABLE:
        if key in data:
            setattr(role, key, data[key])
    scope.session.commit()
    return role


def delete_role(scope: Scope, role_id: int) -> None:
    role = scope.get(Role, role_id, "role")
    if scope.user and role in scope.user.roles and "*" in role.permissions:
        raise Conflict("You cannot delete a role that makes you an administrator.")
    scope.session.delete(role)
    scope.session.commit()
