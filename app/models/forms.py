"""Apps, forms, their published versions, and uploaded attachments."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TenantOwned, Timestamped


class App(TenantOwned, Timestamped, Base):
    __tablename__ = "apps"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[dict] = mapped_column(JSON, nullable=False)
    description: Mapped[str] = mapped_column(String(2000), default="", nullable=False)
    icon: Mapped[str] = mapped_column(String(64), default="", nullable=False)


class Form(TenantOwned, Timestamped, Base):
    __tablename__ = "forms"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id"), index=True, nullable=False)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[dict] = mapped_column(JSON, nullable=False)
    draft: Mapped[dict] = mapped_column(JSON, nullable=False)
    table_name: Mapped[str] = mapped_column(String(63), nullable=False, unique=True)
    published_version: Mapped[int | None] = mapped_column(Integer)


class FormVersion(TenantOwned, Timestamped, Base):
    __tablename__ = "form_versions"
    __table_args__ = (UniqueConstraint("form_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), index=True, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    meta: Mapped[dict] = mapped_column(JSON, nullable=False)
    changes: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    published_by: Mapped[int | None] = mapped_column(BigInteger)


class Attachment(TenantOwned, Timestamped, Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    task_id: Mapped[int | None] = mapped_column(BigInteger)  # the decision it went with


class ImportJob(TenantOwned, Timestamped, Base):
    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), index=True, nullable=False)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    status: Mapped[str] = mapped_column(String(16), default="queued", nullable=False)
    options: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    total: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    processed: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    inserted: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    updated: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    error_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    errors: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    message: Mapped[str] = mapped_column(String(1000), default="", nullable=False)
