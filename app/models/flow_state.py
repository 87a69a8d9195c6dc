"""The path a flow instance took, kept apart from its live engine state.

``flow_instances.state`` holds only the live part of an instance's workflow: the engine
prunes the finished past after every step (``flow_engine.state``). Each completed step it
prunes is written here once, in one insert with the step's save, and never read back by
the engine; it is what an instance viewer draws as the path taken.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TenantOwned, UTCDateTime


class FlowPassedStep(TenantOwned, Base):
    """One completed engine step of an instance (a start or end event, task or gateway)."""

    __tablename__ = "flow_passed_steps"
    __table_args__ = (Index("ix_flow_passed_steps_instance", "instance_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("flow_instances.id"), nullable=False)
    task_id: Mapped[str] = mapped_column(String(36), nullable=False)
    node_id: Mapped[str] = mapped_column(String(255), nullable=False)
    node_type: Mapped[str] = mapped_column(String(40), nullable=False)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
