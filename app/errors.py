"""The platform's errors: the one family shared with the engines (see form_engine.errors)."""

from form_engine.errors import (
    Conflict,
    Forbidden,
    GreenShelfError,
    Locked,
    NotFound,
    Unauthorized,
    Unavailable,
    ValidationError,
)

__all__ = [
    "Conflict",
    "Forbidden",
    "GreenShelfError",
    "Locked",
    "NotFound",
    "Unauthorized",
    "Unavailable",
    "ValidationError",
]
