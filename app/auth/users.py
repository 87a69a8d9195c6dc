"""Use cases on a tenant's users: list, create, update, deactivate."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from app.auth.passwords import check_policy, hash_password
from app.auth.scope import Scope
from app.errors import Conflict, ValidationError
from app.models import Department, Role, User
from app.models.base import utcnow

EDITABLE = ("display_name", "email", "phone", "department_id", "is_active", "locale")


def list_users(scope: Scope, q: str | None, page: int, page_size: int) -> dict:
    stmt = scope.select(User).where(User.deleted_at.is_(None))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(User.username.ilike(like), User.display_name.ilike(like)))
    total = scope.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = scope.session.scalars(
        stmt.order_by(User.id).offset((page - 1) * page_size).limit(page_size)
    ).all()
    return {"items": items, "total": total, "page": page, "page_size": page_size}


def _roles(scope: Scope, role_ids: list[int]) -> list[Role]:
    roles = scope.session.scalars(scope.select(Role).where(Role.id.in_(role_ids))).all()
    missing = sorted(set(role_ids) - {r.id for r in roles})
    if missing:
        raise ValidationError("Unknown role.", {"role_ids": [f"No role with id {missing[0]}."]})
    return list(roles)


def _check_department(scope: Scope, department_id: int | None) -> None:
    if (
        department_id is not None
        and scope.session.scalar(scope.select(Department).where(Department.id == department_id))
        is None
    ):
        raise ValidationError(
            "Unknown department.", {"department_id": [f"No department with id {department_id}."]}
        )


def _apply(scope: Scope, user: User, data: dict) -> None:
    with scope.session.no_autoflush:
        _apply_fields(scope, user, data)


def _apply_fields(scope: Scope, user: User, data: dict) -> None:
    if "department_id" in data:
        _check_department(scope, data["department_id"])
    for key in EDITABLE:
        if key in data:
            setattr(user, key, data[key])
    if "role_ids" in data:
        user.roles = _roles(scope, data["role_ids"])
    if data.get("password") is not None:
        check_policy(data["password"])
        user.password_hash = hash_password(data["password"])
        user.failed_logins = 0
        user.locked_until = None


def create_user(scope: Scope, data: dict) -> User:
    username = data["username"].strip()
    taken = scope.session.scalar(scope.select(User).where(User.username == username))
    if taken is not None:
        raise Conflict("This username is taken.", {"username": ["Already in use."]})
    user = User(username=username, display_name=data["display_name"], password_hash="")
    scope.add(user)
    _apply(scope, user, {**data, "password": data["password"]})
    scope.session.commit()
    return user


def update_user(scope: Scope, user_id: int, data: dict) -> User:
    user = scope.get(User, user_id, "user")
    if scope.user and user.id == scope.user.id and data.get("is_active") is False:
        raise ValidationError(
            "You cannot deactivate yourself.", {"is_active": ["Not for yourself."]}
        )
    _apply(scope, user, data)
    scope.session.commit()
    return user


def delete_user(scope: Scope, user_id: int) -> None:
    """Deactivate and hide a user; their records and history stay."""
    user = scope.get(User, user_id, "user")
    if scope.user and user.id == scope.user.id:
        raise Conflict("You cannot delete yourself.")
    user.is_active = False
    user.deleted_at = utcnow()
    scope.session.commit()


def assert_user_exists(scope: Scope, user_id: int | None, field: str) -> None:
    if user_id is None:
        return
    user = scope.session.scalar(
        scope.select(User).where(User.id == user_id, User.deleted_at.is_(None))
    )
    if user is None:
        raise ValidationError("Unknown user.", {field: [f"No user with id {user_id}."]})


def find_user(scope: Scope, username: str) -> User | None:
    return scope.session.scalar(scope.select(User).where(User.username == username))


__all__ = [
    "assert_user_exists",
    "create_user",
    "delete_user",
    "find_user",
    "list_users",
    "update_user",
]
