"""Warning rules, their alerts and level history, to-dos and in-app notifications."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, BulkWritten, TenantOwned, Timestamped, UTCDateTime

LEVELS = ("green", "yellow", "red", "expired")


class Rule(TenantOwned, Timestamped, Base):
    __tablename__ = "rules"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int | None] = mapped_column(ForeignKey("apps.id"), index=True)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[dict] = mapped_column(JSON, nullable=False)
    draft: Mapped[dict] = mapped_column(JSON, nullable=False)
    published_version: Mapped[int | None] = mapped_column(Integer)
    schedule: Mapped[str] = mapped_column(String(64), default="0 2 * * *", nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    last_scan_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RuleVersion(TenantOwned, Timestamped, Base):
    __tablename__ = "rule_versions"
    __table_args__ = (UniqueConstraint("rule_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("rules.id"), index=True, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    definition: Mapped[dict] = mapped_column(JSON, nullable=False)


class Alert(BulkWritten, Timestamped, Base):
    """One open alert per (rule, record): the partial unique index makes it so."""

    __tablename__ = "alerts"
    __table_args__ = (
        Index(
            "ux_alerts_open",
            "rule_id",
            "record_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
        Index("ix_alerts_board", "tenant_id", "closed_at", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(Integer, nullable=False)
    form_id: Mapped[int] = mapped_column(Integer, nullable=False)
    record_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    level: Mapped[str] = mapped_column(String(16), nullable=False)
    metric: Mapped[float | None] = mapped_column(Numeric(18, 4))
    days_left: Mapped[int | None] = mapped_column(Integer)
    quantity: Mapped[float | None] = mapped_column(Numeric(18, 4))
    value: Mapped[float | None] = mapped_column(Numeric(18, 4))
    category: Mapped[str | None] = mapped_column(String(200))
    warehouse: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    level_since: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    escalations: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: the levels whose actions have fired, as bits (``definition.FIRED_BIT``): each once, ever
    fired: Mapped[int] = mapped_column(Integer, default=0, server_default="0", nullable=False)
    #: when a scan last claimed a level's actions: how it finds what it has to fire
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by: Mapped[int | None] = mapped_column(BigInteger)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(String(200))


class AlertEvent(BulkWritten, Base):
    """A record's level history under a rule."""

    __tablename__ = "alert_events"
    __table_args__ = (Index("ix_alert_events_at", "tenant_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(Integer, index=True, nullable=False)
    from_level: Mapped[str | None] = mapped_column(String(16))
    to_level: Mapped[str | None] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Todo(BulkWritten, Timestamped, Base):
    __tablename__ = "todos"
    __table_args__ = (Index("ix_todos_inbox", "tenant_id", "status", "assignee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int | None] = mapped_column(Integer, index=True)
    rule_id: Mapped[int | None] = mapped_column(Integer)
    form_id: Mapped[int | None] = mapped_column(Integer)
    record_id: Mapped[int | None] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    body: Mapped[str] = mapped_column(String(4000), default="", nullable=False)
    level: Mapped[str | None] = mapped_column(String(16))
    days_left: Mapped[int | None] = mapped_column(Integer)
    quantity: Mapped[float | None] = mapped_column(Numeric(18, 4))
    category: Mapped[str | None] = mapped_column(String(200))
    warehouse: Mapped[str | None] = mapped_column(String(200))
    assignee_id: Mapped[int | None] = mapped_column(BigInteger)
    candidate_role_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open", nullable=False)
    result: Mapped[str | None] = mapped_column(String(2000))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Notification(TenantOwned, Base):
    """The in-app inbox; other channels record their deliveries elsewhere."""

    __tablename__ = "notifications"
    audited = False  # a message to someone, not a change to the business's data
    __table_args__ = (Index("ix_notifications_inbox", "tenant_id", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    body: Mapped[str] = mapped_column(String(8000), default="", nullable=False)
    link: Mapped[str | None] = mapped_column(String(500))
    channel: Mapped[str] = mapped_column(String(16), default="in_app", nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
