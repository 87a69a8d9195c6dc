"""Installs of template apps from ``seeds/``, run in the request or by a worker, with progress."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TenantOwned, Timestamped


class TemplateInstall(TenantOwned, Timestamped, Base):
    """One install: queued, running (the app, then its demo records), done or failed."""

    __tablename__ = "template_installs"
    audited = False  # the progress of a job; what it creates is audited as it is written

    id: Mapped[int] = mapped_column(primary_key=True)
    template: Mapped[str] = mapped_column(String(64), nullable=False)
    demo: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="queued", nullable=False)
    #: what it is doing now: "app" (the package), "data" (demo records)
    step: Mapped[str] = mapped_column(String(16), default="app", nullable=False)
    total: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    processed: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: the installed app (no foreign key: deleting the app later keeps the job's history)
    app_id: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(String(1000), default="", nullable=False)
    errors: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    #: what it did, one line per step, for the console and the CLI
    lines: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
