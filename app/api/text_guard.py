"""Refuse text holding the NUL character before any route reads it.

PostgreSQL cannot store NUL (``\\0``) in text or JSON, so such a value would fail deep in a
write; it is never meaningful in what a person types or a system sends. Every API
request's query, JSON body (keys and values) and form fields are checked first, and the
answer is a 422 naming each place that holds one.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from app.errors import ValidationError

NUL = "\x00"
PROBLEM = "Contains the NUL character (\\0)."


def nul_paths(value: Any, path: str = "") -> list[str]:
    """The paths ("a.0.b") of the strings in a JSON value, keys included, holding NUL."""
    if isinstance(value, str):
        return [path or "_body"] if NUL in value else []
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                found.append(inner)
            found += nul_paths(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += nul_paths(item, f"{path}.{index}" if path else str(index))
    return found


def _request_nul_paths() -> list[str]:
    found = [k for k, v in request.args.items(multi=True) if NUL in k or NUL in v]
    found += [k for k, v in request.form.items(multi=True) if NUL in k or NUL in v]
    found += [k for k, f in request.files.items(multi=True) if NUL in (f.filename or "")]
    if request.is_json:
        body = request.get_json(silent=True)  # malformed JSON is the route's 400
        if body is not None:
            found += nul_paths(body)
    return found


def install_text_guard(app: Flask) -> None:
    @app.before_request
    def _refuse_nul():
        if not request.path.startswith("/api/"):
            return None
        found = _request_nul_paths()
        if found:
            raise ValidationError(
                "Text may not contain the NUL character (\\0).",
                {path: [PROBLEM] for path in found},
            )
        return None
