"""Apps as packages: export an app to one file, preview what importing a file would do,
and import it, all of it or nothing.

The format (``greenshelf.app/1``) is documented in ``seeds/README.md``; the template apps
of ``seeds/`` are such packages. A preview and an import run the same installation in one
staging transaction (``app.packages.staging``); the preview always rolls it back, the
import keeps it only when nothing was refused, so a refused package leaves no app, form
table, flow, role or connector behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.scope import Scope
from app.errors import Conflict, ValidationError
from app.models import App
from app.packages.export import export_app
from app.packages.installation import install_package
from app.packages.report import Report
from app.packages.schema import shape_problems
from app.packages.staging import staging

__all__ = ["ImportResult", "export_app", "import_app", "preview_import"]


@dataclass
class ImportResult:
    app: App
    report: Report


def _shape(package) -> Report | None:
    problems = shape_problems(package)
    if not problems:
        return None
    report = Report()
    for path, messages in problems.items():
        for message in messages:
            report.problem(path, message)
    return report


def preview_import(scope: Scope, package) -> Report:
    """What importing the package would create and keep, and every problem; writes nothing."""
    report = _shape(package)
    if report is not None:
        return report
    report = Report()
    with staging(scope) as staged:
        install_package(staged.scope, package, report)
    return report


def _refuse(report: Report) -> None:
    first = next(iter(report.problems))
    details = {"report": report.as_dict()}
    if report.missing_users:
        details["usernames"] = report.missing_users
    error = Conflict if report.only_conflicts else ValidationError
    raise error(
        f"This package cannot be imported: {first}: {report.problems[first][0]}",
        report.problems,
        code="package_conflict" if report.only_conflicts else "package_invalid",
        details=details,
    )


def import_app(scope: Scope, package) -> ImportResult:
    """Install the package as a new app in one transaction, or refuse it whole."""
    report = _shape(package)
    if report is not None:
        _refuse(report)
    report = Report()
    with staging(scope) as staged:
        app = install_package(staged.scope, package, report)
        if not report.ok or app is None:
            _refuse(report)
        app_id = app.id
        staged.keep()
    return ImportResult(scope.get(App, app_id, "app"), report)
