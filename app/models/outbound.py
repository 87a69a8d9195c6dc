"""A tenant's outbound allow-list: private hosts and networks its connectors may call."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TenantOwned, Timestamped


class OutboundAllowEntry(TenantOwned, Timestamped, Base):
    """One host name, address or network (CIDR) allowed besides GS_OUTBOUND_ALLOWLIST."""

    __tablename__ = "outbound_allow_entries"
    __table_args__ = (UniqueConstraint("tenant_id", "entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry: Mapped[str] = mapped_column(String(255), nullable=False)
    note: Mapped[str] = mapped_column(String(200), default="", nullable=False)
