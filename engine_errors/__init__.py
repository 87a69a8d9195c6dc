"""The exception family raised by services and engines.

Each error carries an HTTP status, a machine-readable code, a message for people and
optional field errors keyed by field path. The API turns them into its JSON error shape
(``app.api.errors``); nothing here knows about HTTP requests or Flask. It stands apart
from every engine and imports nothing of the project, so that the engines share it
without importing each other, and every layer raises the same errors.
"""

from __future__ import annotations


class GreenShelfError(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        errors: dict[str, list[str]] | None = None,
        *,
        code: str | None = None,
        details: dict | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        if code:
            self.code = code
        self.details = details or {}


class ValidationError(GreenShelfError):
    status = 422
    code = "validation_error"


class Unauthorized(GreenShelfError):
    status = 401
    code = "unauthorized"


class Forbidden(GreenShelfError):
    status = 403
    code = "forbidden"


class NotFound(GreenShelfError):
    status = 404
    code = "not_found"


class Conflict(GreenShelfError):
    status = 409
    code = "conflict"


class Locked(GreenShelfError):
    status = 423
    code = "account_locked"


class Unavailable(GreenShelfError):
    status = 503
    code = "service_unavailable"
