"""A small demo organisation for the expiry template: departments, roles and users.

Three regions (east, south, north), each a department holding its warehouses: the demo
warehouses name their region's department, so their batches, stock moves and sales belong
to it (the forms' ``department_field``), and a person whose data scope is their department
sees their region and nothing else. One warehouse manager per region, a regional director
of the east, and people who see every region: the sales lead, the channel manager,
finance and the general manager (an administrator). The role codes are the ones the
template's rules address; an installed app's roles of the same codes are kept. Names
are the organisation's own data, in its language.
"""

from __future__ import annotations

from app.auth.departments import create_department
from app.auth.roles import create_role, list_roles
from app.auth.scope import Scope
from app.auth.tenants import ADMIN_ROLE_CODE
from app.auth.users import create_user, find_user

HEAD_OFFICE = "总部"
#: region code (as the template's warehouses say it) -> its department
REGIONS = {
    "east": "华东大区",
    "south": "华南大区",
    "north": "华北大区",
}
DEPARTMENTS = [
    (HEAD_OFFICE, None),
    *[(name, HEAD_OFFICE) for name in REGIONS.values()],
    ("销售部", HEAD_OFFICE),
    ("渠道部", HEAD_OFFICE),
    ("财务部", HEAD_OFFICE),
    ("综合部", HEAD_OFFICE),
]
READ, WRITE, BOARDS, AUDIT = "records.read", "records.write", "dashboards.view", "audit.read"
ROLES = [
    ("warehouse", "仓库管理员", [READ, WRITE, BOARDS], "department"),
    ("sales", "销售负责人", [READ, WRITE, BOARDS], "all"),
    ("channel", "渠道经理", [READ, WRITE, BOARDS], "all"),
    ("director", "区域总监", [READ, BOARDS, AUDIT], "department"),
    ("finance", "财务", [READ, BOARDS, AUDIT], "all"),
    ("employee", "员工", [READ, WRITE], "own"),
]
USERS = [
    ("wang.clerk", "王仓管", REGIONS["east"], "warehouse"),
    ("li.clerk", "李仓管", REGIONS["south"], "warehouse"),
    ("zhang.clerk", "张仓管", REGIONS["north"], "warehouse"),
    ("zhou.director", "周总监", REGIONS["east"], "director"),
    ("zhao.sales", "赵销售", "销售部", "sales"),
    ("chen.channel", "陈渠道", "渠道部", "channel"),
    ("qian.finance", "钱财务", "财务部", "finance"),
    ("wu.staff", "吴员工", "综合部", "employee"),
    ("sun.manager", "孙总", HEAD_OFFICE, ADMIN_ROLE_CODE),
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
    roles[ADMIN_ROLE_CODE] = existing[ADMIN_ROLE_CODE]
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
