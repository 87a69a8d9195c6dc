"""Who reads or writes records, and which rows their data scope lets them touch.

The scope is turned into SQL here and nowhere else, and every verb (read, update,
delete, restore, export, import) goes through ``visible_rows``: a row outside the scope
does not exist for that caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, false, true

from engine_errors import ValidationError

SCOPES = ("all", "department", "own", "custom")


@dataclass(frozen=True)
class Access:
    tenant_id: int
    user_id: int | None
    department_id: int | None
    today: date
    scope: str = "all"
    #: the caller's department and every department below it ("department" scope)
    department_ids: frozenset[int] = field(default_factory=frozenset)
    condition: dict | None = None
    dialect: str = "sqlite"

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValidationError(f"Unknown data scope '{self.scope}'.")


def scope_clause(access: Access, table) -> ColumnElement[bool]:
    if access.scope == "all":
        return true()
    if access.scope == "department":
        if not access.department_ids:
            return false()
        return table.c.owner_department_id.in_(sorted(access.department_ids))
    if access.scope == "own":
        return table.c.created_by == access.user_id if access.user_id else false()
    from form_engine import expr

    columns = {c.name: c for c in table.columns}
    return expr.to_sql(access.condition or False, columns, access.today, access.dialect)


def visible_rows(access: Access, table, include_deleted: bool = False) -> ColumnElement[bool]:
    """Rows of the caller's tenant inside their data scope (and not deleted, by default)."""
    clauses = [table.c.tenant_id == access.tenant_id, scope_clause(access, table)]
    if not include_deleted:
        clauses.append(table.c.deleted_at.is_(None))
    return and_(*clauses)
