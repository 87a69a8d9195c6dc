"""The tenant's users, departments, files and other forms' records, for reference fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.auth.scope import Scope
from app.forms.forms import compiled_by_key
from app.models import Attachment, Department, User
from form_engine.access import Access, visible_rows


@dataclass
class TenantDirectory:
    scope: Scope
    access: Access

    def _form(self, target: str):
        return compiled_by_key(self.scope, target.split(":", 1)[1])

    def existing(self, target: str, ids: set[int]) -> set[int]:
        ids = {i for i in ids if 0 < i < 2**63}
        if target == "users":
            stmt = self.scope.select(User, User.id).where(
                User.id.in_(ids), User.deleted_at.is_(None)
            )
        elif target == "departments":
            stmt = self.scope.select(Department, Department.id).where(Department.id.in_(ids))
        else:
            form = self._form(target)
            if form is None:
                return set()
            table = form.table
            stmt = select(table.c.id).where(table.c.id.in_(ids), visible_rows(self.access, table))
        return set(self.scope.session.scalars(stmt))

    def lookup(self, target: str, texts: set[str]) -> dict[str, int]:
        if target == "users":
            rows = self.scope.session.execute(
                self.scope.select(User, User.username, User.display_name, User.id).where(
                    (User.username.in_(texts) | User.display_name.in_(texts)),
                    User.deleted_at.is_(None),
                )
            )
            found = {}
            for username, display, ident in rows:
                found.setdefault(username, ident)
                found.setdefault(display, ident)
            return {t: found[t] for t in texts if t in found}
        if target == "departments":
            rows = self.scope.session.execute(
                self.scope.select(Department, Department.name, Department.id).where(
                    Department.name.in_(texts)
                )
            )
            return dict(rows.all())
        form = self._form(target)
        if form is None:
            return {}
        if form.title_key is None:
            return {}
        display = form.table.c[form.title_key]
        rows = self.scope.session.execute(
            select(display, form.table.c.id).where(
                display.in_(texts), visible_rows(self.access, form.table)
            )
        )
        return {str(k): v for k, v in rows.all()}

    def titles(self, target: str, ids: set[int]) -> dict[int, str]:
        """What people read for each id: a user's name, a department's, a record's title
        (records the caller cannot see are left out)."""
        ids = {i for i in ids if 0 < i < 2**63}
        if not ids:
            return {}
        if target == "users":
            stmt = self.scope.select(User, User.id, User.display_name).where(User.id.in_(ids))
        elif target == "departments":
            stmt = self.scope.select(Department, Department.id, Department.name).where(
                Department.id.in_(ids)
            )
        else:
            form = self._form(target)
            if form is None or form.title_key is None:
                return {}
            table = form.table
            stmt = select(table.c.id, table.c[form.title_key]).where(
                table.c.id.in_(ids), visible_rows(self.access, table)
            )
        return {i: str(t) for i, t in self.scope.session.execute(stmt) if t not in (None, "")}

    def field_values(self, target: str, ids: set[int], field: str) -> dict[int, Any]:
        """One field's stored value of each record of a form (``form_engine.lookups``)."""
        form = self._form(target) if target.startswith("form:") else None
        if form is None or field not in form.table.c:
            return {}
        table = form.table
        rows = self.scope.session.execute(
            select(table.c.id, table.c[field]).where(
                table.c.id.in_({i for i in ids if 0 < i < 2**63}),
                visible_rows(self.access, table),
            )
        )
        return dict(rows.all())

    def departments_of(self, target: str, ids: set[int]) -> dict[int, int | None]:
        """The department each record of a form belongs to (``form_engine.ownership``)."""
        form = self._form(target) if target.startswith("form:") else None
        if form is None:
            return {}
        table = form.table
        rows = self.scope.session.execute(
            select(table.c.id, table.c.owner_department_id).where(
                table.c.id.in_({i for i in ids if 0 < i < 2**63}),
                table.c.tenant_id == self.scope.tenant_id,
            )
        )
        return dict(rows.all())

    def attachments(self, ids: set[int]) -> dict[int, dict]:
        rows = self.scope.session.scalars(
            self.scope.select(Attachment).where(Attachment.id.in_(ids))
        )
        return {
            a.id: {
                "id": a.id,
                "name": a.name,
                "size": a.size,
                "content_type": a.content_type,
                "sha256": a.sha256,
            }
            for a in rows
        }
