"""What flows do on their own: service action runs, incidents, due timers, start triggers.

A deferred service action (``flow_engine.actions``) is a ``flow_action_runs`` row: tried as
the flow reaches it, retried with backoff by the sweeper, and after its last attempt an
open ``flow_incidents`` row an administrator can retry. Every timer (a user task's
timeout, a delay, a boundary timer) is a ``flow_timers`` row with its ``due_at``; the
sweeper claims due rows with a lease, so a worker that dies loses no timer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TenantOwned, Timestamped, UTCDateTime

RUN_STATUSES = ("retrying", "waiting", "failed", "succeeded", "cancelled")
INCIDENT_STATUSES = ("open", "resolved")
TIMER_STATUSES = ("pending", "fired", "cancelled")


class FlowActionRun(TenantOwned, Timestamped, Base):
    """One service task's action on one instance, with its attempts."""

    __tablename__ = "flow_action_runs"
    __table_args__ = (
        Index("ix_flow_action_runs_due", "status", "next_attempt_at"),
        Index("ix_flow_action_runs_instance", "instance_id", "engine_task_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("flow_instances.id"), nullable=False)
    engine_task_id: Mapped[str] = mapped_column(String(36), nullable=False)
    node_id: Mapped[str] = mapped_column(String(255), nullable=False)
    node_name: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    max_attempts: Mapped[int] = mapped_column(Integer, nullable=False)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"))
    result: Mapped[dict | None] = mapped_column(JSON)
    last_error: Mapped[str | None] = mapped_column(String(2000))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FlowIncident(TenantOwned, Timestamped, Base):
    """A service action that failed its last attempt: the instance waits for an administrator."""

    __tablename__ = "flow_incidents"
    __table_args__ = (Index("ix_flow_incidents_list", "tenant_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(
        ForeignKey("flow_instances.id"), index=True, nullable=False
    )
    run_id: Mapped[int] = mapped_column(ForeignKey("flow_action_runs.id"), nullable=False)
    node_id: Mapped[str] = mapped_column(String(255), nullable=False)
    node_name: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    error: Mapped[str] = mapped_column(String(2000), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), default="open", nullable=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[int | None] = mapped_column(BigInteger)


class FlowTimer(TenantOwned, Timestamped, Base):
    """A timer that fires at ``due_at``: a user task's timeout, or a timer event."""

    __tablename__ = "flow_timers"
    __table_args__ = (
        Index("ix_flow_timers_due", "status", "due_at"),
        Index("ix_flow_timers_instance", "instance_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("flow_instances.id"), nullable=False)
    engine_task_id: Mapped[str] = mapped_column(String(36), nullable=False)
    node_id: Mapped[str] = mapped_column(String(255), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # timeout | event
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    fired: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    status: Mapped[str] = mapped_column(String(16), default="pending", nullable=False)
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(2000))


class FlowTrigger(TenantOwned, Timestamped, Base):
    """A flow started on its own: ``submit`` starts it for every new record of its form."""

    __tablename__ = "flow_triggers"
    __table_args__ = (
        UniqueConstraint("definition_id", "event"),
        Index("ix_flow_triggers_form", "tenant_id", "form_id", "event"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("flow_definitions.id"), nullable=False)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), nullable=False)
    event: Mapped[str] = mapped_column(String(16), nullable=False)
