"""Secrets at rest: Fernet encryption with a key from GS_SECRETS_KEY or the instance folder."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from app.errors import GreenShelfError


def load_key(instance: str, configured: str | None) -> bytes:
    """The configured key, or one made once and kept (0600) in the instance folder."""
    if configured:
        return configured.encode()
    path = Path(instance) / "secrets.key"
    if not path.exists():
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return path.read_bytes().strip()


def seal(key: bytes, values: dict) -> str:
    return Fernet(key).encrypt(json.dumps(values).encode()).decode()


def unseal(key: bytes, token: str | None) -> dict:
    if not token:
        return {}
    try:
        return json.loads(Fernet(key).decrypt(token.encode()))
    except InvalidToken:
        raise GreenShelfError(
            "Stored secrets cannot be read with this installation's key.", code="secrets_unreadable"
        ) from None
