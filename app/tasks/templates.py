"""The worker side of template installs with demo records: a thin shell around the service."""

from __future__ import annotations

from celery import shared_task

from app.auth.scope import Scope
from app.extensions import db
from app.models import TemplateInstall, User
from app.packages.seeding import run_install


@shared_task(name="greenshelf.install_template")
def install_template(job_id: int) -> None:
    job = db.session.get(TemplateInstall, job_id)
    if job is None or job.status not in {"queued", "running"}:
        return
    user = db.session.get(User, job.created_by) if job.created_by else None
    run_install(Scope(db.session, job.tenant_id, user), job_id)
