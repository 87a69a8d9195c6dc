"""Password hashing with argon2 and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.errors import ValidationError

_hasher = PasswordHasher()
MIN_LENGTH = 8
# Verifying against this keeps the time of a login for an unknown user like a real one.
_DUMMY_HASH = _hasher.hash("greenshelf-timing-equaliser")


def check_policy(password: str, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            "The password is too short.",
            {field: [f"At least {MIN_LENGTH} characters."]},
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False
