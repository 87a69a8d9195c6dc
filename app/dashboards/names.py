"""The names of the tenant's people and departments, for the labels of chart values."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.scope import Scope
from app.models import Department, User


@dataclass
class TenantNames:
    scope: Scope

    def names(self, target: str, ids: set[int]) -> dict[int, str]:
        ids = {i for i in ids if 0 < i < 2**63}
        if not ids:
            return {}
        if target == "users":
            stmt = self.scope.select(User, User.id, User.display_name).where(User.id.in_(ids))
        elif target == "departments":
            stmt = self.scope.select(Department, Department.id, Department.name).where(
                Department.id.in_(ids)
            )
        else:
            return {}
        return dict(self.scope.session.execute(stmt).all())
