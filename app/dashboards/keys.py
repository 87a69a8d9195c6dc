"""The keys of charts and dashboards: unique in the tenant (a package names them by key),
made up when a designer gives none."""

from __future__ import annotations

import secrets

from app.auth.scope import Scope
from app.errors import Conflict


def new_key(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


def claim_key(scope: Scope, model, key: str, noun: str) -> str:
    """``key`` if no other ``model`` row of the tenant has it, else a Conflict."""
    if scope.session.scalar(scope.select(model, model.id).where(model.key == key)) is not None:
        raise Conflict(f"This {noun} key is taken.", {"key": ["Already in use."]})
    return key


def rekey(scope: Scope, row, data: dict, noun: str) -> None:
    """Give ``row`` the key ``data`` names, if it names another one."""
    if "key" in data and data["key"] != row.key:
        row.key = claim_key(scope, type(row), data["key"], noun)
