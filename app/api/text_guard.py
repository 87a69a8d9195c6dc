"""Refuse text that no database can store before any route reads it.

PostgreSQL cannot store NUL (``\\0``) in text or JSON, and a lone UTF-16 surrogate
(``\\ud800`` written in JSON without its pair) is not a character at all: UTF-8 cannot
encode it. Such a value would fail deep in a write; it is never meaningful in what a person
types or a system sends. Every API request's query, JSON body (keys and values) and form
fields are checked first, and the answer is a 422 naming each place that holds one.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, request

from app.errors import ValidationError

NUL = "\x00"
PROBLEM = "Contains the NUL character (\\0)."
SURROGATE_PROBLEM = "Contains a broken character (a lone UTF-16 surrogate)."
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _problem(text: str) -> str | None:
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    return PROBLEM if found.group() == NUL else SURROGATE_PROBLEM


def unstorable_paths(value: Any, path: str = "") -> dict[str, str]:
    """The paths ("a.0.b") of the strings in a JSON value, keys included, holding text no
    database stores, each with what is wrong."""
    found: dict[str, str] = {}
    if isinstance(value, str):
        problem = _problem(value)
        if problem:
            found[path or "_body"] = problem
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            problem = _problem(str(key))
            if problem:
                found[inner] = problem
            found.update(unstorable_paths(item, inner))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.update(unstorable_paths(item, f"{path}.{index}" if path else str(index)))
    return found


def _request_problems() -> dict[str, str]:
    found: dict[str, str] = {}
    for source in (request.args, request.form):
        for key, text in source.items(multi=True):
            problem = _problem(key) or _problem(text)
            if problem:
                found[key] = problem
    for key, upload in request.files.items(multi=True):
        problem = _problem(upload.filename or "")
        if problem:
            found[key] = problem
    if request.is_json:
        body = request.get_json(silent=True)  # malformed JSON is the route's 400
        if body is not None:
            found.update(unstorable_paths(body))
    return found


def install_text_guard(app: Flask) -> None:
    @app.before_request
    def _refuse_unstorable():
        if not request.path.startswith("/api/"):
            return None
        found = _request_problems()
        if not found:
            return None
        message = (
            "Text may not contain the NUL character (\\0)."
            if PROBLEM in found.values()
            else "Text may not contain broken characters (lone UTF-16 surrogates)."
        )
        raise ValidationError(message, {path: [problem] for path, problem in found.items()})
