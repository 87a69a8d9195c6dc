"""Installing a template app from the gallery (``seeds/<name>/``): its package, then its
demo records, as a job whose progress the console and ``flask gs seed`` follow.

The package is imported whole or not at all (``app.packages.packages``). Demo records are
written afterwards in batches, each its own transaction with the job's progress, so the
progress shows while a worker runs them (as Excel imports do). Demo records may name the
demo organisation's people and departments; when the tenant does not have them, nothing is
installed. An install without demo records is small and finishes in the request; one with
them is handed to a worker when the caller gives a way to (``enqueue``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from app.auth.scope import Scope
from app.errors import Conflict, GreenShelfError
from app.forms.access import access_for, tenant_today
from app.forms.directory import TenantDirectory
from app.forms.records import bulk_create_records, list_records
from app.models import App, Form, TemplateInstall
from app.packages.packages import import_app, preview_import
from app.packages.report import Report
from app.packages.templates import demo_module, has_demo, list_templates, load_template
from app.rules import alert_history, rechecks

CHUNK = 500
log = logging.getLogger(__name__)


def gallery(scope: Scope) -> list[dict]:
    """The templates, each with the id of the app it installed in this tenant, if any."""
    installed = dict(scope.session.execute(scope.select(App, App.key, App.id)).all())
    return [{**t, "app_id": installed.get(t["key"])} for t in list_templates()]


def preview_template(scope: Scope, name: str) -> Report:
    """What installing the template would create, without writing anything."""
    return preview_import(scope, load_template(name))


def _demo_data(scope: Scope, name: str) -> dict[str, list[dict]]:
    return demo_module(name).generate(tenant_today(scope))


def _named(package: dict, data: dict[str, list[dict]], kind: str) -> set[str]:
    """The names the demo records give in fields of a kind (user: usernames or display
    names; department: department names)."""
    names: set[str] = set()
    for form in package.get("forms", []):
        keys = [f["key"] for f in form["meta"]["fields"] if f.get("type") == kind]
        for row in data.get(form["key"], []):
            names.update(row[k] for k in keys if isinstance(row.get(k), str) and row[k])
    return names


def _check_demo_org(scope: Scope, package: dict, data: dict[str, list[dict]]) -> None:
    """Refuse demo records that name people or departments the tenant does not have (the
    demo organisation's, ``flask gs demo``), before writing any."""
    directory = TenantDirectory(scope, access_for(scope))
    missing = {}
    for kind, target in (("user", "users"), ("department", "departments")):
        named = _named(package, data, kind)
        found = directory.lookup(target, named) if named else {}
        missing[target] = sorted(named - set(found))
    if missing["users"] or missing["departments"]:
        names = ", ".join(missing["users"] + missing["departments"])
        raise Conflict(
            f"The demo records name users this tenant does not have: {names}."
            if not missing["departments"]
            else f"The demo records name people or departments this tenant does not have: {names}.",
            code="demo_users_missing",
            details={"usernames": missing["users"], "departments": missing["departments"]},
        )


def start_install(
    scope: Scope,
    name: str,
    demo: bool,
    enqueue: Callable[[int], object] | None = None,
    progress: Callable[[str], object] = lambda _line: None,
) -> TemplateInstall:
    """Record the install and run it now, or hand it to ``enqueue`` when it brings demo
    records and the caller can enqueue; people the demo records name are checked first."""
    package = load_template(name)
    demo = demo and has_demo(name)
    if demo:
        _check_demo_org(scope, package, _demo_data(scope, name))
    job = scope.add(
        TemplateInstall(template=name, demo=demo, created_by=scope.user.id if scope.user else None)
    )
    scope.session.commit()
    if enqueue is None or not demo:
        return run_install(scope, job.id, progress)
    try:
        enqueue(job.id)
    except Exception:  # noqa: BLE001 - no broker: the install is only slower in the request
        log.warning("Template install %s runs in the request: no worker", job.id, exc_info=True)
        return run_install(scope, job.id, progress)
    return job


def get_install(scope: Scope, job_id: int) -> TemplateInstall:
    return scope.get(TemplateInstall, job_id, "template install")


def _say(scope: Scope, job: TemplateInstall, line: str) -> None:
    """A step done, in the job's lines (``progress`` hears of each batch of records)."""
    job.lines = [*job.lines, line]
    scope.session.commit()


def _fail(scope: Scope, job_id: int, exc: GreenShelfError) -> TemplateInstall:
    scope.session.rollback()
    job = get_install(scope, job_id)
    job.status, job.message, job.errors = "failed", exc.message[:1000], exc.errors
    scope.session.commit()
    return job


def run_install(
    scope: Scope, job_id: int, progress: Callable[[str], object] = lambda _line: None
) -> TemplateInstall:
    """Install the package unless its app is there, then write the demo records."""
    job = get_install(scope, job_id)
    if job.status not in ("queued", "running"):
        return job
    job.status, job.step = "running", "app"
    scope.session.commit()
    try:
        package = load_template(job.template)
        key = package["app"]["key"]
        app = scope.session.scalar(scope.select(App).where(App.key == key))
        if app is None:
            app = import_app(scope, package).app
            job = get_install(scope, job_id)
            counts = ", ".join(
                f"{len(package.get(kind) or [])} {kind}"
                for kind in ("forms", "rules", "flows", "dashboards")
            )
            _say(scope, job, f"Installed the '{key}' app: {counts}.")
        else:
            _say(scope, job, f"The '{key}' app is installed already.")
        job.app_id = app.id
        if job.demo:
            data = _demo_data(scope, job.template)
            history = data.pop("alerts", [])  # the rules' past alerts, not records
            _write_demo(scope, job, data, progress)
            if history:
                written = alert_history.record_history(scope, history)
                _say(scope, job, f"alerts: {written} past alerts.")
    except GreenShelfError as exc:
        return _fail(scope, job_id, exc)
    except Exception:
        _fail(scope, job_id, GreenShelfError("Something went wrong on our side."))
        raise
    job.status = "done"
    scope.session.commit()
    return job


def _write_demo(
    scope: Scope, job: TemplateInstall, data: dict[str, list[dict]], progress: Callable
) -> None:
    job.step, job.total = "data", sum(len(rows) for rows in data.values())
    scope.session.commit()
    with rechecks.held(scope):  # the warning rules scan the demo stock once, at the end
        for form_key, rows in data.items():
            _write_form(scope, job, form_key, rows, progress)
    _say(scope, job, "The warning rules have scanned the demo records.")


def _write_form(
    scope: Scope, job: TemplateInstall, form_key: str, rows: list[dict], progress: Callable
) -> None:
    form = scope.session.scalar(scope.select(Form).where(Form.key == form_key))
    if list_records(scope, form.id, page_size=1)["total"]:
        job.processed += len(rows)
        _say(scope, job, f"{form_key}: has records already, demo data skipped.")
        return
    for start in range(0, len(rows), CHUNK):
        bulk_create_records(scope, form.id, rows[start : start + CHUNK])
        job.processed += len(rows[start : start + CHUNK])
        scope.session.commit()
        progress(f"{form_key}: {min(start + CHUNK, len(rows))}/{len(rows)}")
    _say(scope, job, f"{form_key}: {len(rows)} demo records.")


def install_template(
    scope: Scope, name: str, demo: bool, progress: Callable[[str], object] = print
) -> Iterator[str]:
    """Install a template now (``flask gs seed``): the lines it reported; a failure raises."""
    job = start_install(scope, name, demo, None, progress)
    if job.status == "failed":
        raise GreenShelfError(job.message, job.errors, code="template_install_failed")
    yield from job.lines
