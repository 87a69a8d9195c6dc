"""The caller's data scope, from their roles, as the form engine's ``Access``.

Of several roles the widest wins: all > department (and below) > custom conditions
(any of them) > own records.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.auth.departments import descendant_ids, list_departments
from app.auth.scope import Scope
from form_engine.access import Access


def tenant_today(scope: Scope) -> date:
    return datetime.now(ZoneInfo(scope.timezone)).date()


def whole_tenant_access(scope: Scope, user=None) -> Access:
    """Every row of the tenant, acting as ``user`` (or as the system): for the writes a flow,
    a rule or an approver's step makes on the organisation's behalf."""
    return Access(
        tenant_id=scope.tenant_id,
        user_id=user.id if user else None,
        department_id=user.department_id if user else None,
        today=tenant_today(scope),
        scope="all",
        dialect=scope.session.get_bind().dialect.name,
    )


def access_for(scope: Scope) -> Access:
    """The signed-in user's data scope."""
    return access_of(scope, scope.user)


def access_of(scope: Scope, user) -> Access:
    """``user``'s data scope in the scope's tenant (None: the system, which sees all)."""
    roles = list(user.roles) if user else []
    kinds = {r.data_scope for r in roles}
    dialect = scope.session.get_bind().dialect.name
    common = {
        "tenant_id": scope.tenant_id,
        "user_id": user.id if user else None,
        "department_id": user.department_id if user else None,
        "today": tenant_today(scope),
        "dialect": dialect,
    }
    if user is None or "all" in kinds or user.is_admin:
        return Access(**common, scope="all")
    if "department" in kinds and user.department_id:
        ids = descendant_ids(list_departments(scope), user.department_id)
        return Access(**common, scope="department", department_ids=frozenset(ids))
    conditions = [
        r.data_scope_condition for r in roles if r.data_scope == "custom" and r.data_scope_condition
    ]
    if conditions:
        condition = conditions[0] if len(conditions) == 1 else {"or": conditions}
        return Access(**common, scope="custom", condition=condition)
    return Access(**common, scope="own")
