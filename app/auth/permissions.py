"""The permissions a role can grant, with labels for the console."""

from __future__ import annotations

from app.errors import Forbidden
from app.models import User

PERMISSIONS: dict[str, tuple[str, str]] = {
    "admin.users": ("管理用户", "Manage users"),
    "admin.departments": ("管理部门", "Manage departments"),
    "admin.roles": ("管理角色与权限", "Manage roles and permissions"),
    "audit.read": ("查看审计日志", "Read the audit log"),
    "system.health": ("查看系统状态", "See system health"),
    "apps.design": ("设计应用、表单与流程", "Design apps, forms and flows"),
    "records.read": ("查看记录", "Read records"),
    "records.write": ("录入与修改记录", "Create and edit records"),
    "rules.manage": ("管理预警规则", "Manage warning rules"),
    "connectors.manage": ("管理连接器", "Manage connectors"),
    "admin.outbound": ("管理出站白名单", "Manage the outbound allow-list"),
    "dashboards.view": ("查看驾驶舱", "View dashboards"),
    "dashboards.design": ("设计图表与驾驶舱", "Design charts and dashboards"),
}


def require(user: User, permission: str) -> None:
    if not user.can(permission):
        raise Forbidden(f"You need the permission '{permission}' for this.")
