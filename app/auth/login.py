"""Checking a username and password, with lockout after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.passwords import verify_password
from app.errors import GreenShelfError, Locked, Unauthorized
from app.models import Tenant, User
from app.models.base import utcnow


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_minutes: int = 15


def _find_user(session: Session, username: str, tenant_slug: str | None) -> User | None:
    stmt = select(User).join(Tenant).where(User.username == username, User.deleted_at.is_(None))
    if tenant_slug:
        stmt = stmt.where(Tenant.slug == tenant_slug)
    users = session.scalars(stmt).all()
    if len(users) > 1:
        raise GreenShelfError(
            "This username exists in several tenants: say which one.",
            {"tenant": ["Required for this username."]},
            code="tenant_required",
        )
    return users[0] if users else None


def authenticate(
    session: Session, username: str, password: str, tenant_slug: str | None, policy: LockoutPolicy
) -> User:
    """Return the user for good credentials; count failures and lock after too many."""
    user = _find_user(session, username.strip(), tenant_slug)
    now = utcnow()
    if user is not None and user.locked_until and user.locked_until > now:
        raise Locked(
            "Too many failed attempts: this account is locked for a while.",
            details={"locked_until": user.locked_until.isoformat()},
        )
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        if user is not None and not ok:
            user.failed_logins += 1
            if user.failed_logins >= policy.max_failures:
                user.locked_until = now + timedelta(minutes=policy.lock_minutes)
                user.failed_logins = 0
            session.commit()
        raise Unauthorized("Wrong username or password.", code="invalid_credentials")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.commit()
    return user
