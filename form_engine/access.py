"""Who reads or writes records, and which rows their data scope lets them touch.

The scope is turned into SQL here and nowhere else, and every verb (read, update,
delete, restore, export, import) goes through ``visible_rows``: a row outside the scope
does not exist for that caller. A shared form's rows (reference data, see
``form_engine.ownership``) are read by everyone; the scope still decides who changes them.
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


def scope_clause(access: Access, table, writing: bool = False) -> ColumnElement[bool]:
    if access.scope == "all" or (table.info.get("shared") and not writing):
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


def visible_rows(
    access: Access, table, include_deleted: bool = False, writing: bool = False
) -> ColumnElement[bool]:
    """Rows of the caller's tenant inside their data scope (and not deleted, by default);
    ``writing`` for the rows they may change, which on a shared form may be fewer."""
    clauses = [table.c.tenant_id == access.tenant_id, scope_clause(access, table, writing)]
    if not include_deleted:
        clauses.append(table.c.deleted_at.is_(None))
    return and_(*clauses)


def row_visible(access: Access, row: dict, form=None) -> bool:
    """Whether ``visible_rows`` would let the caller read this stored row (its columns by
    name), decided in Python: for the few rows a message is about, not for lists.
    ``form`` (the row's CompiledForm) is needed for a custom scope's condition."""
    if row.get("tenant_id", access.tenant_id) != access.tenant_id:
        return False
    if access.scope == "all" or (form is not None and form.table.info.get("shared")):
        return True
    if access.scope == "department":
        return row.get("owner_department_id") in access.department_ids
    if access.scope == "own":
        return access.user_id is not None and row.get("created_by") == access.user_id
    if form is None or not access.condition:
        return False
    from form_engine import expr

    return expr.evaluate(access.condition, form.expression_view(row), access.today) is True
