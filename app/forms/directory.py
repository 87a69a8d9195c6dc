"""The tenant's users, departments, files and other forms' records, for reference fields."""

from __future__ import annotations

from dataclasses import dataclass

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
