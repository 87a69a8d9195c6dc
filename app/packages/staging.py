"""One transaction for a whole package: everything an import writes, or nothing.

The services a package goes through (publish a form, deploy a flow, publish a rule) each
commit their own use case. A package is installed on a staging session of its own
connection, inside one outer transaction that only ``keep`` commits: each service's
commit releases a savepoint there, and its rollback undoes its own work only. Publishing a
form creates its tables in that transaction too; both databases roll such DDL back
(SQLite's driver opens the transaction before the first savepoint, see ``app.database``).

The domain events' after-commit work (rule rechecks, deliveries handed to a worker) waits
for the real commit and runs after it, as it would after any commit. Forms compiled
while staging are forgotten when the transaction rolls back, since a later import may
publish the same table and version numbers with other fields.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from app import events
from app.auth.scope import Scope
from app.errors import Conflict
from app.extensions import AppSession, db
from app.models import Form, User
from form_engine.compiled import forget


class _StagedSession(AppSession):
    """A session whose commits release savepoints of the staging transaction."""

    def get_bind(self, *args, **kwargs):
        return self.bind

    def commit(self) -> None:
        Session.commit(self)  # after-commit work waits for the staging transaction's commit


class Staging:
    """The scope services are called with while a package is staged, and its outcome."""

    def __init__(self, outer: Scope) -> None:
        outer.session.commit()  # the caller holds no lock the staging connection would wait on
        self.connection = outer.session.get_bind().connect()
        self.transaction = self.connection.begin()
        if self.connection.dialect.name == "sqlite":
            self._lock_sqlite()
        self.session = _StagedSession(
            db,
            bind=self.connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
        )
        user = self.session.get(User, outer.user.id) if outer.user is not None else None
        self.scope = Scope(self.session, outer.tenant_id, user)
        self._tables = self._form_tables()
        self.kept = False

    def _lock_sqlite(self) -> None:
        """Take the write lock now, waiting for another writer as long as the busy timeout
        allows: a transaction that has read cannot start writing once another has committed
        since, so two imports at once would otherwise fail the second midway."""
        try:
            self.connection.connection.dbapi_connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            self.connection.close()
            raise Conflict(
                "Another change is being written; try again in a moment.", code="database_busy"
            ) from None

    def _form_tables(self) -> set[str]:
        return set(self.session.scalars(self.scope.select(Form, Form.table_name)))

    def keep(self) -> None:
        """Commit everything staged, then run the after-commit work it made due."""
        self.session.commit()
        self.transaction.commit()
        self.kept = True
        events.run_due(self.session)

    def _discard(self) -> None:
        self.session.rollback()  # back to the last savepoint: a failed statement is undone
        made = self._form_tables() - self._tables
        self.session.close()
        if self.transaction.is_active:
            self.transaction.rollback()
        for table_name in made:
            forget(table_name)

    def close(self) -> None:
        if not self.kept:
            self._discard()
        self.session.close()
        self.connection.close()


@contextmanager
def staging(outer: Scope) -> Iterator[Staging]:
    """A staging transaction for ``outer``'s tenant and user; rolled back unless kept."""
    staged = Staging(outer)
    try:
        yield staged
    finally:
        staged.close()
