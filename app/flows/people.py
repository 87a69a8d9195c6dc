"""The tenant's people as flow_engine.assignment looks them up, and their display names."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.auth.scope import Scope
from app.models import Department, Role, User, user_roles


class ScopeDirectory:
    """``flow_engine.assignment.Directory`` over one tenant's active users."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def _active(self):
        return self.scope.select(User, User.id).where(
            User.deleted_at.is_(None), User.is_active.is_(True)
        )

    def user_ids(self, refs: Iterable[str]) -> dict[str, int]:
        refs = set(refs)
        ids = {int(r) for r in refs if r.isascii() and r.isdigit() and 0 < int(r) < 2**63}
        names = {r for r in refs if not (r.isascii() and r.isdigit())}
        rows = self.scope.session.execute(
            self.scope.select(User, User.id, User.username).where(
                User.deleted_at.is_(None),
                User.is_active.is_(True),
                User.id.in_(ids) | User.username.in_(names),
            )
        )
        found = {}
        for user_id, username in rows:
            if str(user_id) in refs:
                found[str(user_id)] = user_id
            if username in refs:
                found[username] = user_id
        return found

    def role_members(self, code: str) -> list[int]:
        holders = (
            select(user_roles.c.user_id)
            .join(Role, Role.id == user_roles.c.role_id)
            .where(Role.tenant_id == self.scope.tenant_id, Role.code == code)
        )
        return sorted(self.scope.session.scalars(self._active().where(User.id.in_(holders))))

    def department_chain(self, user_id: int) -> list[tuple[int, int | None]]:
        user = self.scope.session.get(User, user_id)
        chain: list[tuple[int, int | None]] = []
        current = user.department_id if user and user.tenant_id == self.scope.tenant_id else None
        while current is not None and len(chain) < 50:
            department = self.scope.session.scalar(
                self.scope.select(Department).where(Department.id == current)
            )
            if department is None or any(d == department.id for d, _ in chain):
                break
            chain.append((department.id, department.head_user_id))
            current = department.parent_id
        return chain

    def role_codes(self) -> frozenset[str]:
        return frozenset(self.scope.session.scalars(self.scope.select(Role, Role.code)))


def display_names(scope: Scope, user_ids: Iterable[int]) -> dict[int, str]:
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    rows = scope.session.execute(
        scope.select(User, User.id, User.display_name).where(User.id.in_(ids))
    )
    return dict(rows.all())
