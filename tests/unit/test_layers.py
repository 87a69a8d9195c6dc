"""The import contracts in pyproject.toml bite: on a small tree shaped like the project,
the linter passes, and each forbidden import added to it breaks the contract that forbids
it (so a real one in the project would fail `make lint`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [
    "app",
    *[f"app.{name}" for name in ("api", "tasks", "packages", "dashboards", "integrations")],
    *[f"app.{name}" for name in ("rules", "flows", "connectors", "forms", "audit", "auth")],
    "app.models",
    "form_engine",
    "flow_engine",
    "connectors",
    "engine_errors",
]
#: each layer importing the one below it, as the project does
ALLOWED = {
    "app/api/routes.py": "import app.tasks.work\n",
    "app/tasks/work.py": "import app.packages.pack\n",
    "app/tasks/worker.py": "import app\n",  # builds the whole app (an ignored import)
    "app/packages/pack.py": "import app.integrations.sync\n",
    "app/integrations/sync.py": "import app.rules.scan\n",
    "app/rules/scan.py": "import app.flows.start\n",
    "app/flows/start.py": "import app.connectors.deliveries\nimport flow_engine.runtime\n",
    "app/connectors/deliveries.py": "import app.forms.records\nimport connectors.http\n",
    "app/forms/records.py": "import app.audit.log\nimport form_engine.records\n",
    "app/audit/log.py": "import app.auth.scope\n",
    "app/auth/scope.py": "import app.models.user\n",
    "app/models/user.py": "",
    "flow_engine/runtime.py": "import form_engine.records\nimport engine_errors\n",
    "form_engine/records.py": "import engine_errors\n",
    "connectors/http.py": "import engine_errors\n",
}


def _lint(tree: Path) -> subprocess.CompletedProcess:
    linter = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [linter, str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for package in PACKAGES:
        folder = tmp_path.joinpath(*package.split("."))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("")
    for path, text in ALLOWED.items():
        (tmp_path / path).write_text(text)
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    for contract in settings["contracts"]:  # the modules a layers contract inside a package names
        for container in contract.get("containers", []):
            for layer in contract["layers"]:
                for name in layer.split("|"):
                    module = tmp_path.joinpath(*container.split("."), f"{name.strip()}.py")
                    if not module.exists():
                        module.write_text("")
    lines = ["[tool.importlinter]", f"root_packages = {json.dumps(settings['root_packages'])}"]
    lines.append("include_external_packages = true")
    for contract in settings["contracts"]:
        lines.append("\n[[tool.importlinter.contracts]]")
        for key, value in contract.items():
            lines.append(f"{key} = {json.dumps(value)}")  # JSON values are TOML values
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_the_project_shape_keeps_every_contract(tree):
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    "path, line, broken",
    [
        ("app/forms/records.py", "import app.rules.scan", "app.forms is not allowed to import"),
        ("app/forms/records.py", "import app.flows.start", "app.forms is not allowed to import"),
        ("app/flows/start.py", "import app.rules.scan", "app.flows is not allowed to import"),
        ("app/rules/scan.py", "import app.tasks.work", "app.rules is not allowed to import"),
        ("app/models/user.py", "import app.api.routes", "app.models is not allowed to import"),
        ("form_engine/records.py", "import flow_engine.runtime", "form engine imports neither"),
        ("form_engine/records.py", "import connectors.http", "form engine imports neither"),
        ("connectors/http.py", "import form_engine.records", "connectors import no other engine"),
        ("engine_errors/__init__.py", "import form_engine", "errors import nothing"),
        ("flow_engine/runtime.py", "import app.models.user", "Engines do not import Flask"),
        ("app/flows/run.py", "import app.flows.settling", "app.flows.run is not allowed"),
    ],
)
def test_each_forbidden_import_breaks_its_contract(tree, path, line, broken):
    target = tree / path
    target.write_text(target.read_text() + line + "\n")
    result = _lint(tree)
    assert result.returncode != 0
    report = " ".join(result.stdout.split())
    assert broken in report, result.stdout
