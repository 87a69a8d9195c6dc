"""The approval toolset's own tables: how a task seat came to be, and out-of-office delegations.

``flow_task_origins`` holds, for the seats that did not come straight from a node's
assignment, whom the holder acts for (a delegation or a delegated seat) and which seat
reopens when they approve (a signer added before someone). ``flow_delegations`` are the
periods in which a user's new tasks go to someone else, for every flow or for one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TenantOwned, Timestamped, UTCDateTime


class FlowTaskOrigin(TenantOwned, Base):
    """Why a seat exists beyond the node's assignment (one row per such seat)."""

    __tablename__ = "flow_task_origins"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("flow_tasks.id"), unique=True, nullable=False)
    on_behalf_of: Mapped[int | None] = mapped_column(BigInteger)
    resumes_task_id: Mapped[int | None] = mapped_column(BigInteger)
    added_by: Mapped[int | None] = mapped_column(BigInteger)


class FlowDelegation(TenantOwned, Timestamped, Base):
    """While out of office (``starts_on`` to ``ends_on``, both included), a user's new tasks
    (of one flow, or of every flow when ``definition_id`` is empty) go to ``delegate_id``."""

    __tablename__ = "flow_delegations"
    __table_args__ = (Index("ix_flow_delegations_user", "tenant_id", "user_id", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    delegate_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    definition_id: Mapped[int | None] = mapped_column(ForeignKey("flow_definitions.id"))
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
