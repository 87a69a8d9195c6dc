"""Who of the people a rule's action names may open the record it is about.

A role shares a rule's to-dos and messages among its members, but each member sees only
the records of their data scope: the clerk of the east region opens the east's batches,
not the south's. To-dos are filtered as they are listed (``todos``); messages are sent
only to the members who may open the record (``actions.fire``). Roles whose members all
see every record need no per-record check, and a digest to them may keep counting the
items it does not show (``actions.levels_acting_in_python``).
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.scope import Scope
from app.forms.access import access_of
from app.models import Role, User, user_roles
from form_engine.access import Access, row_visible
from form_engine.compiled import CompiledForm


class Audience:
    """The data scopes of the people a scan's actions reach, each read once."""

    def __init__(self, scope: Scope, form: CompiledForm) -> None:
        self.scope, self.form = scope, form
        self._access: dict[int, Access] = {}
        self._narrowed: dict[str, bool] = {}

    def access(self, user_id: int) -> Access | None:
        if user_id not in self._access:
            user = self.scope.session.get(User, user_id)
            if user is None or user.tenant_id != self.scope.tenant_id:
                return None
            self._access[user_id] = access_of(self.scope, user)
        return self._access[user_id]

    def narrowed(self, role_code: str) -> bool:
        """Whether some member of the role sees only part of the records."""
        if role_code not in self._narrowed:
            role = self.scope.session.scalar(self.scope.select(Role).where(Role.code == role_code))
            members = (
                self.scope.session.scalars(
                    select(user_roles.c.user_id).where(user_roles.c.role_id == role.id)
                ).all()
                if role is not None
                else []
            )
            self._narrowed[role_code] = any(
                (a := self.access(m)) is not None and a.scope != "all" for m in members
            )
        return self._narrowed[role_code]

    def who_see(self, people: list[int], record: dict) -> list[int]:
        """Those of ``people`` who may open the record (its stored row's columns)."""
        out = []
        for user_id in people:
            access = self.access(user_id)
            if access is not None and row_visible(access, record, self.form):
                out.append(user_id)
        return out
