"""Personal API tokens: shown once, stored as a hash, revocable, expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.scope import Scope
from app.errors import NotFound
from app.models import ApiToken, User
from app.models.base import utcnow

PREFIX = "gs_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(scope: Scope, name: str, expires_in_days: int) -> tuple[ApiToken, str]:
    """Make a token for the acting user; the secret is returned here and never again."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=scope.user.id,
        name=name,
        prefix=secret[:10],
        token_hash=_digest(secret),
        expires_at=utcnow() + timedelta(days=expires_in_days),
    )
    scope.add(token)
    scope.session.commit()
    return token, secret


def list_tokens(scope: Scope) -> list[ApiToken]:
    stmt = scope.select(ApiToken).where(ApiToken.user_id == scope.user.id).order_by(ApiToken.id)
    return list(scope.session.scalars(stmt))


def revoke_token(scope: Scope, token_id: int) -> None:
    token = scope.get(ApiToken, token_id, "token")
    if token.user_id != scope.user.id:
        # Somebody else's token is as invisible as another tenant's.
        raise NotFound(f"No token with id {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        scope.session.commit()


def user_for_token(session: Session, secret: str) -> User | None:
    """The active user a bearer token stands for, or None if it is unknown, revoked or expired."""
    if not secret.startswith(PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    now = utcnow()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    user = token.user
    if not user.is_active or user.deleted_at is not None:
        return None
    token.last_used_at = now
    session.commit()
    return user
