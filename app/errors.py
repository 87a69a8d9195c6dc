"""The platform's errors: the one family shared with the engines (see ``engine_errors``)."""

from engine_errors import (
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
