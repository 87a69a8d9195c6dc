"""The worker side of large imports: a thin shell around the import service."""

from __future__ import annotations

from celery import shared_task
from flask import current_app

from app.auth.scope import Scope
from app.extensions import db
from app.forms.imports import run_import
from app.models import ImportJob, User


@shared_task(name="greenshelf.import_records")
def import_records(job_id: int) -> None:
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status not in {"queued", "running"}:
        return
    user = db.session.get(User, job.created_by) if job.created_by else None
    scope = Scope(db.session, job.tenant_id, user)
    run_import(scope, job_id, current_app.config["INSTANCE_PATH"])
