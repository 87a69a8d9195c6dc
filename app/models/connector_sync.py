"""Data coming in: inbound webhooks (with the receipts that make them idempotent) and
scheduled pulls from an ERP into a form (with a log of every run)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TenantOwned, Timestamped, UTCDateTime


class InboundHook(TenantOwned, Timestamped, Base):
    """An endpoint of an app that another system posts to, signed with the hook's secret."""

    __tablename__ = "inbound_hooks"
    __table_args__ = (UniqueConstraint("tenant_id", "app_id", "key"),)
    audit_hidden = frozenset({"secret"})

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id"), index=True, nullable=False)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[dict] = mapped_column(JSON, nullable=False)
    #: upsert_record | start_flow
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), nullable=False)
    flow_id: Mapped[int | None] = mapped_column(ForeignKey("flow_definitions.id"))
    #: {form field: JSONPath or top-level key of the payload}
    mapping: Mapped[dict] = mapped_column(JSON, nullable=False)
    key_fields: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    #: the sealed signing secret
    secret: Mapped[str] = mapped_column(Text, nullable=False)
    #: whose rights the hook acts with (the administrator who set it up)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    #: a deleted hook stays for its receipts: hidden, switched off, its key freed
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the key it had before it was deleted, to restore it under
    deleted_key: Mapped[str | None] = mapped_column(String(40))


class InboundReceipt(TenantOwned, Base):
    """One accepted delivery id per hook; a repeat gets the first answer back."""

    __tablename__ = "inbound_receipts"
    __table_args__ = (UniqueConstraint("hook_id", "delivery_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hook_id: Mapped[int] = mapped_column(ForeignKey("inbound_hooks.id"), nullable=False)
    delivery_id: Mapped[str] = mapped_column(String(128), nullable=False)
    status: Mapped[int] = mapped_column(Integer, nullable=False)
    result: Mapped[dict] = mapped_column(JSON, nullable=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class ConnectorSync(TenantOwned, Timestamped, Base):
    """A scheduled pull: call a connector's query, map each row, upsert it into a form."""

    __tablename__ = "connector_syncs"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[dict] = mapped_column(JSON, nullable=False)
    connector_id: Mapped[int] = mapped_column(ForeignKey("connectors.id"), nullable=False)
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    inputs: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    #: where the rows are in the action's result
    rows_path: Mapped[str] = mapped_column(String(500), default="$.rows[*]", nullable=False)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), nullable=False)
    mapping: Mapped[dict] = mapped_column(JSON, nullable=False)
    key_fields: Mapped[list] = mapped_column(JSON, nullable=False)
    #: cron in the tenant's time zone
    schedule: Mapped[str] = mapped_column(String(100), nullable=False)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: a deleted sync stays for its run log: hidden, switched off, its key freed
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the key it had before it was deleted, to restore it under
    deleted_key: Mapped[str | None] = mapped_column(String(40))


class SyncRun(TenantOwned, Base):
    """What one run of a sync did: counts, the first problems, and how it ended."""

    __tablename__ = "connector_sync_runs"
    __table_args__ = (Index("ix_connector_sync_runs_log", "tenant_id", "sync_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sync_id: Mapped[int] = mapped_column(ForeignKey("connector_syncs.id"), nullable=False)
    #: running | succeeded | partial | failed
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    trigger: Mapped[str] = mapped_column(String(16), nullable=False)
    fetched: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    updated: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    unchanged: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    failed: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    errors: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    message: Mapped[str | None] = mapped_column(String(2000))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
