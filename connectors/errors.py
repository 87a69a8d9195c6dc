"""Why a call to another system failed, and whether trying again can help."""

from __future__ import annotations

from engine_errors import GreenShelfError


class ConnectorError(GreenShelfError):
    """A call failed. ``retryable`` says whether a later attempt may succeed."""

    status = 502
    code = "connector_failed"

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        status_code: int | None = None,
        errors: dict | None = None,
    ) -> None:
        super().__init__(message, errors)
        self.retryable = retryable
        self.status_code = status_code


class BlockedAddress(GreenShelfError):
    """The URL points at this machine or a private network and is not allowlisted."""

    status = 422
    code = "address_blocked"
