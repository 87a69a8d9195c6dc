"""Installing a template app from ``seeds/<name>/``: the package, then its demo data.

Demo records may name the demo organisation's people in user fields; when the tenant does
not have them, nothing is installed.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from app.auth.scope import Scope
from app.errors import Conflict, NotFound
from app.forms.access import access_for, tenant_today
from app.forms.directory import TenantDirectory
from app.forms.records import bulk_create_records, list_records
from app.models import App, Form
from app.packages.packages import import_app

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CHUNK = 500


def _demo_module(folder: Path):
    spec = importlib.util.spec_from_file_location(f"seed_{folder.name}", folder / "demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _named_users(package: dict, data: dict[str, list[dict]]) -> set[str]:
    """The usernames (or display names) the demo records give in user fields."""
    names: set[str] = set()
    for form in package["forms"]:
        keys = [f["key"] for f in form["meta"]["fields"] if f["type"] == "user"]
        for row in data.get(form["key"], []):
            names.update(row[k] for k in keys if isinstance(row.get(k), str) and row[k])
    return names


def _check_demo_users(scope: Scope, package: dict, data: dict[str, list[dict]]) -> None:
    """Refuse demo records that name people the tenant does not have, before writing any."""
    named = _named_users(package, data)
    found = TenantDirectory(scope, access_for(scope)).lookup("users", named) if named else {}
    missing = sorted(named - set(found))
    if missing:
        raise Conflict(
            f"The demo records name users this tenant does not have: {', '.join(missing)}.",
            code="demo_users_missing",
            details={"usernames": missing},
        )


def install_template(
    scope: Scope, name: str, demo: bool, progress: Callable[[str], object] = print
) -> Iterator[str]:
    folder = SEEDS / name
    if not (folder / "package.json").exists():
        raise NotFound(f"No template '{name}' in {SEEDS}.")
    package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    data = None
    if demo and (folder / "demo.py").exists():
        data = _demo_module(folder).generate(tenant_today(scope))
        _check_demo_users(scope, package, data)
    key = package["app"]["key"]
    if scope.session.scalar(scope.select(App).where(App.key == key)) is None:
        import_app(scope, package)
        yield (
            f"Installed the '{key}' app: {len(package['forms'])} forms, "
            f"{len(package.get('rules', []))} rules."
        )
    else:
        yield f"The '{key}' app is installed already."
    if data is None:
        return
    for form_key, rows in data.items():
        form = scope.session.scalar(scope.select(Form).where(Form.key == form_key))
        if list_records(scope, form.id, page_size=1)["total"]:
            yield f"{form_key}: has records already, demo data skipped."
            continue
        for start in range(0, len(rows), CHUNK):
            bulk_create_records(scope, form.id, rows[start : start + CHUNK])
            progress(f"{form_key}: {min(start + CHUNK, len(rows))}/{len(rows)}")
        yield f"{form_key}: {len(rows)} demo records."
