"""The one place that adds the tenant to every query on tenant-owned tables.

A ``Scope`` is what a service receives: the session, the tenant and the acting user.
``get`` turns "not in this tenant" into the same ``NotFound`` as "does not exist", so
another tenant's ids leak nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Select, inspect, select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.models import Tenant, User

T = TypeVar("T")
#: the largest id a row can have: primary keys are 32-bit integers, and a larger number
#: sent to PostgreSQL as one would fail there instead of finding nothing
MAX_ID = 2**31 - 1


def _loaded(obj: object, attribute: str) -> bool:
    """Whether reading the attribute needs no query."""
    state = inspect(obj)
    return attribute not in state.unloaded and not state.expired


@dataclass
class Scope:
    session: Session
    tenant_id: int
    user: User | None = None
    _timezone: str | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.user is not None:
            self.session.info["actor"] = (self.user.id, self.user.display_name)

    @property
    def timezone(self) -> str:
        """The tenant's time zone, read once for the scope's use case."""
        if self._timezone is None:
            user = self.user
            if user is not None and user.tenant_id == self.tenant_id and _loaded(user, "tenant"):
                tenant = user.tenant  # read with the signed-in user
            else:
                tenant = self.session.get(Tenant, self.tenant_id)
            self._timezone = tenant.timezone if tenant else "UTC"
        return self._timezone

    def select(self, model: type[T], *columns: Any) -> Select:
        stmt = select(*columns) if columns else select(model)
        return stmt.where(model.tenant_id == self.tenant_id)

    def get(self, model: type[T], object_id: int, label: str | None = None) -> T:
        obj = None
        if 0 < object_id <= MAX_ID:
            obj = self.session.scalar(self.select(model).where(model.id == object_id))
        if obj is None or getattr(obj, "deleted_at", None) is not None:
            name = label or model.__name__.lower()
            raise NotFound(f"No {name} with id {object_id}.")
        return obj

    def add(self, obj: T) -> T:
        obj.tenant_id = self.tenant_id
        self.session.add(obj)
        return obj
