"""Use cases of Excel/CSV import and export: start, run (here or on a worker), report.

Small files are imported during the request; larger ones are saved in the instance
folder and run by a Celery worker, which updates the job's progress after every batch
(each batch is its own transaction, so progress is visible while it runs).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from app.auth.scope import Scope
from app.errors import NotFound, ValidationError
from app.forms.access import access_for
from app.forms.directory import TenantDirectory
from app.forms.forms import compiled
from app.forms.records import write_records
from app.models import Form, ImportJob
from form_engine.excel import ImportResult, error_workbook, import_rows, read_table, template
from form_engine.export import export_view

SYNC_BYTES = 2 * 1024 * 1024
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def _folder(instance: str) -> Path:
    path = Path(instance) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_import(
    scope: Scope,
    form_id: int,
    filename: str | None,
    content: bytes,
    options: dict,
    instance: str,
    enqueue,
) -> ImportJob:
    """Record the job; run it now when the file is small, else hand it to ``enqueue``."""
    compiled(scope, form_id)
    if not filename:
        raise ValidationError("Choose a file to import.", {"file": ["Missing."]})
    if options.get("mode") == "upsert" and not options.get("key_field"):
        raise ValidationError("Upsert needs a key field.", {"key_field": ["Required for upsert."]})
    if not filename.lower().endswith(SUFFIXES):
        raise ValidationError(
            "Upload an xlsx, xls, ods or csv file.",
            {"file": [f"'{filename}' is not a spreadsheet."]},
        )
    job = scope.add(
        ImportJob(
            form_id=form_id,
            filename=filename,
            options=options,
            created_by=scope.user.id if scope.user else None,
        )
    )
    scope.session.commit()
    (_folder(instance) / f"{job.id}").write_bytes(content)
    if len(content) <= SYNC_BYTES:
        return run_import(scope, job.id, instance)
    enqueue(job.id)
    return job


def run_import(scope: Scope, job_id: int, instance: str) -> ImportJob:
    job = scope.get(ImportJob, job_id, "import")
    content = (_folder(instance) / f"{job.id}").read_bytes()
    job.status = "running"
    scope.session.commit()
    _, form = compiled(scope, job.form_id)
    access = access_for(scope)

    def progress(done: int) -> None:
        job.processed = done
        scope.session.commit()

    options = job.options
    try:
        headers, rows = read_table(content, job.filename)
        result = import_rows(
            scope.session.connection,
            form,
            headers,
            rows,
            access,
            TenantDirectory(scope, access),
            mapping=options.get("mapping"),
            key_field=options.get("key_field"),
            dry_run=options.get("dry_run", False),
            progress=progress,
        )
    except ValidationError as exc:
        scope.session.rollback()
        job = scope.get(ImportJob, job_id, "import")
        job.status, job.message = "failed", exc.message
        job.errors = [
            {"row": 1, "field": k, "message": "; ".join(v)} for k, v in exc.errors.items()
        ]
        scope.session.commit()
        return job
    _finish(job, result)
    (_folder(instance) / f"{job.id}.errors.xlsx").write_bytes(error_workbook(headers, result))
    form_row = scope.get(Form, job.form_id, "form")
    write_records(scope, form_row, result.created_ids, result.updated_ids, f"import:{job.id}")
    scope.session.commit()
    return job


def _finish(job: ImportJob, result: ImportResult) -> None:
    job.status = "done"
    job.total = job.processed = result.total
    job.inserted, job.updated = result.inserted, result.updated
    job.error_count = result.error_count
    job.errors = [{"row": e.row, "field": e.field, "message": e.message} for e in result.errors]


def error_file(scope: Scope, form_id: int, job_id: int, instance: str) -> bytes:
    job = scope.get(ImportJob, job_id, "import")
    path = _folder(instance) / f"{job.id}.errors.xlsx"
    if job.form_id != form_id or not path.exists():
        raise ValidationError(
            "This import has no error workbook yet.", {"import": ["Not finished."]}
        )
    return path.read_bytes()


def get_import(scope: Scope, form_id: int, job_id: int) -> ImportJob:
    job = scope.get(ImportJob, job_id, "import")
    if job.form_id != form_id:
        raise NotFound(f"No import with id {job_id}.")
    return job


def template_file(scope: Scope, form_id: int, locale: str) -> tuple[Form, bytes]:
    form, form_c = compiled(scope, form_id)
    return form, template(form_c, locale)


def export_file(scope: Scope, form_id: int, out: IO[bytes], **options: Any) -> int:
    _, form_c = compiled(scope, form_id)
    return export_view(scope.session.connection(), form_c, access_for(scope), out, **options)
