"""The tenant's people as flow_engine.assignment looks them up, and their display names."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, literal, select
from sqlalchemy.orm import aliased

from app.auth.scope import Scope
from app.models import Department, Role, User, user_roles


def _chain_query():
    """A user's department, then each parent in turn, with its depth (built once)."""
    tenant = bindparam("tenant_id")
    first = (
        select(
            Department.id,
            Department.parent_id,
            Department.head_user_id,
            literal(0).label("depth"),
        )
        .join(User, User.department_id == Department.id)
        .where(
            User.id == bindparam("user_id"),
            User.tenant_id == tenant,
            Department.tenant_id == tenant,
        )
        .cte("chain", recursive=True)
    )
    above = aliased(Department)
    chain = first.union(
        select(above.id, above.parent_id, above.head_user_id, first.c.depth + 1)
        .join(first, above.id == first.c.parent_id)
        .where(above.tenant_id == tenant, first.c.depth < 50)
    )
    return select(chain.c.id, chain.c.head_user_id).order_by(chain.c.depth)


_CHAIN = _chain_query()


def _role_members_query():
    """The active users holding a role, by the role's code (built once)."""
    tenant = bindparam("tenant_id")
    holders = (
        select(user_roles.c.user_id)
        .join(Role, Role.id == user_roles.c.role_id)
        .where(Role.tenant_id == tenant, Role.code == bindparam("code"))
    )
    return select(User.id).where(
        User.tenant_id == tenant,
        User.deleted_at.is_(None),
        User.is_active.is_(True),
        User.id.in_(holders),
    )


_ROLE_MEMBERS = _role_members_query()


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
        params = {"tenant_id": self.scope.tenant_id, "code": code}
        return sorted(self.scope.session.scalars(_ROLE_MEMBERS, params))

    def department_chain(self, user_id: int) -> list[tuple[int, int | None]]:
        """The user's department and those above it, nearest first, in one query (a
        department tree that loops stops where it would repeat)."""
        rows = self.scope.session.execute(
            _CHAIN, {"user_id": user_id, "tenant_id": self.scope.tenant_id}
        )
        seen: list[tuple[int, int | None]] = []
        for department_id, head in rows:
            if any(d == department_id for d, _ in seen):
                break
            seen.append((department_id, head))
        return seen

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
