"""Turns every error into the one JSON shape: {code, message, errors: {field.path: [...]}}."""

from __future__ import annotations

import logging

from flask import Flask, g, has_request_context, jsonify, request
from werkzeug.exceptions import HTTPException

from app.api.messages_zh import to_chinese
from app.errors import GreenShelfError

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
}
MESSAGES = {
    400: "The request could not be read.",
    404: "Not found.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
    422: "Some fields are not valid.",
}


def flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """{"json": {"a": {"0": {"b": ["x"]}}}} -> {"a.0.b": ["x"]} (the body location is implied)."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            key = str(key)
            if not prefix and key == "json":
                path = ""
            elif key == "_schema":
                path = prefix
            else:
                path = f"{prefix}.{key}" if prefix else key
            for p, msgs in flatten(value, path).items():
                out.setdefault(p, []).extend(msgs)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        out[prefix or "_body"] = list(messages)
    elif isinstance(messages, list):
        for i, value in enumerate(messages):
            out.update(flatten(value, f"{prefix}.{i}" if prefix else str(i)))
    else:
        out[prefix or "_body"] = [str(messages)]
    return out


def wants_chinese() -> bool:
    """Accept-Language decides; without it, the logged-in user's own language."""
    header = request.headers.get("Accept-Language", "")
    if header:
        first = header.split(",")[0].strip().lower()
        return first.startswith("zh")
    user = getattr(g, "_login_user", None)
    return bool(user is not None and getattr(user, "locale", "").startswith("zh"))


def caller_language() -> str:
    """The language the caller reads, "zh" or "en": keys made from labels prefer it."""
    return "zh" if wants_chinese() else "en"


def _body(code: str, message: str, errors: dict | None = None, **extra) -> dict:
    errors = errors or {}
    if has_request_context() and wants_chinese():
        message = to_chinese(message)
        errors = {k: [to_chinese(m) for m in v] for k, v in errors.items()}
    return {"code": code, "message": message, "errors": errors, **extra}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(GreenShelfError)
    def _domain(exc: GreenShelfError):
        return jsonify(_body(exc.code, exc.message, exc.errors, **exc.details)), exc.status

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        data = getattr(exc, "data", None) or {}
        errors = flatten(data.get("messages", {})) if data.get("messages") else {}
        message = MESSAGES.get(status, exc.description or "")
        if status == 400 and "_body" in errors:
            message = "The body is not valid JSON."
        elif status == 422 and errors:
            first = next(iter(errors))
            message = f"Some fields are not valid: {first}: {errors[first][0]}"
        return jsonify(_body(HTTP_CODES.get(status, "error"), message, errors)), status

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        return jsonify(_body("internal_error", "Something went wrong on our side.")), 500
