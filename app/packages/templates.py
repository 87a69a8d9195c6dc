"""The template gallery: the folders of ``seeds/``, each an app package, and what is in them.

A folder holds ``package.json`` (the format, the app, its roles, and any other part) and
may keep parts in files of their own, so several people can work on one template:
``forms/*.json``, ``rules/*.json``, ``flows/*.json``, ``charts/*.json``,
``dashboards/*.json``, ``connectors/*.json`` and ``roles/*.json``, each file one entry or a
list of them, read in file-name order after the entries of ``package.json``. Assembled,
it is one package, the same as an export. ``demo.py``, when there, generates demo records.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.errors import NotFound, ValidationError
from app.packages.schema import KINDS

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _folder(name: str) -> Path:
    folder = SEEDS / name
    if not _NAME.match(name) or not (folder / "package.json").is_file():
        raise NotFound(f"No template '{name}'.")
    return folder


def _read(path: Path, folder: Path):
    where = str(path.relative_to(folder))
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(
            f"The template file {where} cannot be read: {exc}", {where: [str(exc)]}
        ) from None


def load_template(name: str) -> dict:
    """The template's parts assembled into one package."""
    folder = _folder(name)
    package = _read(folder / "package.json", folder)
    if not isinstance(package, dict):
        raise ValidationError(
            "Not a GreenShelf app package.", {"package.json": ["Not a JSON object."]}
        )
    for kind in KINDS:
        part = folder / kind
        files = sorted(part.glob("*.json")) if part.is_dir() else []
        if not files:
            continue
        entries = list(package.get(kind) or [])
        for path in files:
            content = _read(path, folder)
            entries += content if isinstance(content, list) else [content]
        package[kind] = entries
    return package


def has_demo(name: str) -> bool:
    return (_folder(name) / "demo.py").is_file()


def demo_module(name: str):
    """The template's demo data generator (its ``generate(today)``)."""
    import importlib.util

    path = _folder(name) / "demo.py"
    spec = importlib.util.spec_from_file_location(f"seed_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def contents(package: dict) -> dict:
    """What a package holds, as people read it: each part's labels, and how many."""

    def labels(kind: str, label_key: str = "label") -> list:
        return [e.get(label_key) for e in package.get(kind) or [] if isinstance(e, dict)]

    return {
        "forms": labels("forms"),
        "flows": labels("flows", "name"),
        "rules": labels("rules"),
        "charts": labels("charts"),
        "dashboards": labels("dashboards"),
        "roles": labels("roles", "name"),
        "connectors": labels("connectors"),
    }


def list_templates() -> list[dict]:
    """Every template of the gallery with its label, description, icon and contents."""
    found = []
    for folder in sorted(p for p in SEEDS.iterdir() if (p / "package.json").is_file()):
        if not _NAME.match(folder.name):
            continue
        try:
            package = load_template(folder.name)
        except ValidationError:
            continue  # a template being edited that does not read yet is not offered
        app = package.get("app") or {}
        found.append(
            {
                "name": folder.name,
                "key": app.get("key"),
                "label": app.get("label"),
                "description": app.get("description") or "",
                "icon": app.get("icon") or "",
                "demo": (folder / "demo.py").is_file(),
                "contents": contents(package),
            }
        )
    return found
