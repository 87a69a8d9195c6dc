"""Installing a template app from ``seeds/<name>/``: the package, then its demo data."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from app.auth.scope import Scope
from app.errors import NotFound
from app.forms.access import tenant_today
from app.forms.packages import import_app
from app.forms.records import bulk_create_records
from app.models import App, Form

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CHUNK = 500


def _demo_module(folder: Path):
    spec = importlib.util.spec_from_file_location(f"seed_{folder.name}", folder / "demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def install_template(
    scope: Scope, name: str, demo: bool, progress: Callable[[str], object] = print
) -> Iterator[str]:
    folder = SEEDS / name
    if not (folder / "package.json").exists():
        raise NotFound(f"No template '{name}' in {SEEDS}.")
    package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    key = package["app"]["key"]
    if scope.session.scalar(scope.select(App).where(App.key == key)) is None:
        import_app(scope, package)
        yield (
            f"Installed the '{key}' app: {len(package['forms'])} forms, "
            f"{len(package.get('rules', []))} rules."
        )
    else:
        yield f"The '{key}' app is installed already."
    if not demo or not (folder / "demo.py").exists():
        return
    data = _demo_module(folder).generate(tenant_today(scope))
    for form_key, rows in data.items():
        form = scope.session.scalar(scope.select(Form).where(Form.key == form_key))
        from app.forms.records import list_records

        if list_records(scope, form.id, page_size=1)["total"]:
            yield f"{form_key}: has records already, demo data skipped."
            continue
        for start in range(0, len(rows), CHUNK):
            bulk_create_records(scope, form.id, rows[start : start + CHUNK])
            progress(f"{form_key}: {min(start + CHUNK, len(rows))}/{len(rows)}")
        yield f"{form_key}: {len(rows)} demo records."
