"""Creating a tenant with its administrator role and first administrator."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.passwords import check_policy, hash_password
from app.errors import Conflict
from app.models import Role, Tenant, User

ADMIN_ROLE_CODE = "admin"


def create_tenant(
    session: Session,
    slug: str,
    name: str,
    admin_username: str,
    admin_password: str,
    timezone: str = "Asia/Shanghai",
) -> Tenant:
    """Make a tenant, its 'admin' role (every permission) and one administrator."""
    if session.scalar(select(Tenant).where(Tenant.slug == slug)) is not None:
        raise Conflict(f"A tenant '{slug}' exists already.", {"slug": ["Already in use."]})
    check_policy(admin_password, "admin_password")
    tenant = Tenant(slug=slug, name=name, timezone=timezone)
    session.add(tenant)
    session.flush()
    role = Role(
        tenant_id=tenant.id,
        name="管理员",
        code=ADMIN_ROLE_CODE,
        description="全部权限，全部数据",
        permissions=["*"],
        data_scope="all",
    )
    admin = User(
        tenant_id=tenant.id,
        username=admin_username,
        display_name="Administrator",
        password_hash=hash_password(admin_password),
        roles=[role],
    )
    session.add_all([role, admin])
    session.commit()
    return tenant
