"""JSONPath (RFC 9535) to pick values out of a reply or an incoming payload.

A mapping is ``{target name: path}``. A path starting with ``$`` is a JSONPath query;
anything else is the exact name of a top-level key (ERP rows have keys such as
``FLot.FNumber`` that read badly as JSONPath). One match gives the value, several give
a list, none gives ``None``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jsonpath_rfc9535 as jsonpath

from engine_errors import ValidationError


@lru_cache(maxsize=512)
def _compiled(path: str):
    return jsonpath.compile(path)


def check_mapping(mapping: Any, where: str) -> None:
    """Raise with the path of every query that is not valid JSONPath."""
    problems: dict[str, list[str]] = {}
    for name, path in (mapping or {}).items():
        if isinstance(path, str) and path.startswith("$"):
            try:
                _compiled(path)
            except jsonpath.JSONPathError as exc:
                problems[f"{where}.{name}" if where else name] = [f"Not valid JSONPath: {exc}"]
    if problems:
        raise ValidationError("A JSONPath in the mapping is not valid.", problems)


def find(data: Any, path: str) -> Any:
    if not path.startswith("$"):
        return data.get(path) if isinstance(data, dict) else None
    values = _compiled(path).find(data).values()
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def find_all(data: Any, path: str) -> list:
    """Every match, as a list (for 'the rows of the reply')."""
    if not path.startswith("$"):
        value = data.get(path) if isinstance(data, dict) else None
        return value if isinstance(value, list) else ([] if value is None else [value])
    return _compiled(path).find(data).values()


def extract(data: Any, mapping: dict[str, str]) -> dict[str, Any]:
    return {name: find(data, path) for name, path in mapping.items()}
