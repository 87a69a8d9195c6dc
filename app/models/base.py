"""Declarative base for the platform's own tables, with UTC timestamps.

Times are stored as UTC. SQLite keeps no zone, so the column type gives every value
back as an aware UTC datetime on both databases.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import DateTime, ForeignKey, Integer, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class TenantOwned:
    """Rows that belong to one tenant; ``app.auth.scope`` filters on this column."""

    audited: ClassVar[bool] = True  # whether ``app.audit.log`` writes an entry per change
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True, nullable=False)


class BulkWritten(TenantOwned):
    """Rows a rule scan writes by the hundred thousand in one statement (alerts, their
    history, to-dos): no foreign keys, whose checks PostgreSQL runs once per written row
    and key, and no tenant index of their own (their composite indexes lead with it).
    The scan writes them from ids it has just read in the same transaction."""

    tenant_id: Mapped[int] = mapped_column(Integer, nullable=False)
