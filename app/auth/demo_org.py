"""A small demo organisation for the expiry template: departments, roles and users."""

from __future__ import annotations

from app.auth.departments import create_department
from app.auth.roles import create_role, list_roles
from app.auth.scope import Scope
from app.auth.users import create_user, find_user

DEPARTMENTS = [
    ("总部 Head office", None),
    ("华东仓 East-China warehouse", "总部 Head office"),
    ("华南仓 South-China warehouse", "总部 Head office"),
    ("销售部 Sales", "总部 Head office"),
    ("市场部 Marketing", "总部 Head office"),
]
ROLES = [
    ("warehouse", "仓库管理员 Warehouse clerk", ["records.read", "records.write"], "department"),
    ("sales", "销售经理 Sales manager", ["records.read", "dashboards.view"], "department"),
    ("manager", "管理层 Manager", ["records.read", "dashboards.view", "audit.read"], "all"),
]
USERS = [
    ("wang.clerk", "王仓管", "华东仓 East-China warehouse", "warehouse"),
    ("li.clerk", "李仓管", "华南仓 South-China warehouse", "warehouse"),
    ("zhao.sales", "赵销售总监", "销售部 Sales", "sales"),
    ("chen.marketing", "陈市场", "市场部 Marketing", "sales"),
    ("sun.manager", "孙总", "总部 Head office", "manager"),
]


def load_demo_org(scope: Scope, password: str) -> int:
    """Create the demo departments, roles and users once; returns how many users were added."""
    if find_user(scope, USERS[0][0]) is not None:
        return 0
    departments: dict[str, int] = {}
    for name, parent in DEPARTMENTS:
        dept = create_department(scope, {"name": name, "parent_id": departments.get(parent)})
        departments[name] = dept.id
    existing = {r.code: r.id for r in list_roles(scope)}  # an installed app may bring some
    roles = {
        code: existing.get(code)
        or create_role(
            scope, {"code": code, "name": name, "permissions": perms, "data_scope": data_scope}
        ).id
        for code, name, perms, data_scope in ROLES
    }
    for username, display, dept, role in USERS:
        create_user(
            scope,
            {
                "username": username,
                "display_name": display,
                "password": password,
                "department_id": departments[dept],
                "role_ids": [roles[role]],
            },
        )
    return len(USERS)
