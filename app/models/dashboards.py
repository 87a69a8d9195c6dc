"""Charts, dashboards (cockpits) and the data generations that keep cached chart results
honest across web processes."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TenantOwned, Timestamped


class Chart(TenantOwned, Timestamped, Base):
    """A chart over one form: its definition compiles to one SQL aggregate."""

    __tablename__ = "charts"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id"), index=True, nullable=False)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), index=True, nullable=False)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[dict] = mapped_column(JSON, nullable=False)
    definition: Mapped[dict] = mapped_column(JSON, nullable=False)
    created_by: Mapped[int | None] = mapped_column(BigInteger)


class Dashboard(TenantOwned, Timestamped, Base):
    """Charts laid out on a grid, global filters, and who may view and edit it."""

    __tablename__ = "dashboards"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id"), index=True, nullable=False)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[dict] = mapped_column(JSON, nullable=False)
    #: [{"chart_id", "x", "y", "w", "h"}]
    layout: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    #: {"date_field_label"?, "date_from", "date_to", "equals"}
    filters: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    refresh_seconds: Mapped[int | None] = mapped_column(Integer)
    #: roles whose holders of dashboards.view may view it (empty: all of them)
    viewer_role_ids: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    #: roles whose holders of dashboards.design may edit it (empty: all of them)
    editor_role_ids: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    created_by: Mapped[int | None] = mapped_column(BigInteger)


class DataGeneration(TenantOwned, Base):
    """A counter per (tenant, source) that grows after each commit changing the source's
    data: ``form:<id>`` for a form's records, ``rule:<id>`` for a rule's alerts. Cached
    chart results carry the generations they were computed at, so any web process sees a
    change at once."""

    __tablename__ = "data_generations"
    audited = False  # bookkeeping of the cache, not the business's data

    tenant_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)
