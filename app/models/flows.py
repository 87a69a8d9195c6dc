"""Flows: definitions, their immutable versions, running instances, task seats and history.

An instance's engine state is SpiffWorkflow's JSON in ``flow_instances.state``, guarded by
``row_version`` (SQLAlchemy's version counter: a stale write fails instead of overwriting).
People's share of the work lives in ``flow_tasks`` rows, one per person per waiting user
task (and one per person copied in), so inboxes never read the engine state.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TenantOwned, Timestamped, UTCDateTime

INSTANCE_STATUSES = ("running", "incident", "approved", "rejected", "withdrawn")
TASK_STATUSES = ("open", "approved", "rejected", "returned", "transferred", "cancelled", "cc")


class FlowDefinition(TenantOwned, Timestamped, Base):
    __tablename__ = "flow_definitions"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), index=True, nullable=False)
    latest_version: Mapped[int | None] = mapped_column(Integer)


class FlowVersion(TenantOwned, Timestamped, Base):
    """One deploy: immutable. ``tree`` is the simple-designer tree it was compiled from."""

    __tablename__ = "flow_versions"
    __table_args__ = (UniqueConstraint("definition_id", "version"),)
    audit_hidden = frozenset({"spec", "bpmn_xml"})

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(
        ForeignKey("flow_definitions.id"), index=True, nullable=False
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    process_id: Mapped[str] = mapped_column(String(255), nullable=False)
    bpmn_xml: Mapped[str] = mapped_column(Text, nullable=False)
    tree: Mapped[dict | None] = mapped_column(JSON)
    spec: Mapped[str] = mapped_column(Text, nullable=False)
    nodes: Mapped[dict] = mapped_column(JSON, nullable=False)
    form_version: Mapped[int] = mapped_column(Integer, nullable=False)
    deployed_by: Mapped[int | None] = mapped_column(BigInteger)


class FlowInstance(TenantOwned, Timestamped, Base):
    __tablename__ = "flow_instances"
    __table_args__ = (
        Index("ix_flow_instances_record", "tenant_id", "form_id", "record_id"),
        Index("ix_flow_instances_initiator", "tenant_id", "initiator_id", "status"),
    )
    audit_hidden = frozenset({"state", "row_version"})

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("flow_definitions.id"), nullable=False)
    version_id: Mapped[int] = mapped_column(ForeignKey("flow_versions.id"), nullable=False)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), nullable=False)
    record_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    initiator_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    status: Mapped[str] = mapped_column(String(16), default="running", nullable=False)
    state: Mapped[str] = mapped_column(Text, nullable=False)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": row_version}


class FlowTask(TenantOwned, Timestamped, Base):
    """One person's seat at a waiting user task (kind approval), or a copy (kind cc)."""

    __tablename__ = "flow_tasks"
    __table_args__ = (
        Index("ix_flow_tasks_inbox", "tenant_id", "assignee_id", "status"),
        Index("ix_flow_tasks_instance", "instance_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("flow_instances.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), default="approval", nullable=False)
    engine_task_id: Mapped[str] = mapped_column(String(36), nullable=False)
    node_id: Mapped[str] = mapped_column(String(255), nullable=False)
    node_name: Mapped[str] = mapped_column(String(200), nullable=False)
    mode: Mapped[str] = mapped_column(String(16), default="any", nullable=False)
    assignee_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    candidates: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    status: Mapped[str] = mapped_column(String(16), default="open", nullable=False)
    comment: Mapped[str] = mapped_column(String(2000), default="", nullable=False)
    acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FlowEvent(TenantOwned, Base):
    """The instance's history: who did what, when, with which comment."""

    __tablename__ = "flow_events"
    audited = False  # already a record of who did what, and never changed

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(
        ForeignKey("flow_instances.id"), index=True, nullable=False
    )
    task_id: Mapped[int | None] = mapped_column(BigInteger)
    node_id: Mapped[str | None] = mapped_column(String(255))
    node_name: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    comment: Mapped[str] = mapped_column(String(2000), default="", nullable=False)
    details: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
