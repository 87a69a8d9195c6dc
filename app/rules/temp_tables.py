"""Temporary work tables of a scan or a preview: created empty, dropped when done.

PostgreSQL drops them at commit as well; SQLite keeps temporary tables for the life of
the connection, so they are always dropped before being created again.
"""

from __future__ import annotations

from sqlalchemy import Table, text
from sqlalchemy.dialects import postgresql, sqlite

from app.auth.scope import Scope


def dialect(scope: Scope):
    return postgresql if scope.session.get_bind().dialect.name == "postgresql" else sqlite


def create(scope: Scope, table: Table) -> None:
    drop(scope, table)
    table.create(scope.session.connection())


def drop(scope: Scope, table: Table) -> None:
    schema = "pg_temp" if dialect(scope) is postgresql else "temp"
    scope.session.execute(text(f"DROP TABLE IF EXISTS {schema}.{table.name}"))


def analyze(scope: Scope, table: Table) -> None:
    """Let PostgreSQL's planner know how many rows the table got (it cannot guess)."""
    if dialect(scope) is postgresql:
        scope.session.execute(text(f"ANALYZE {table.name}"))
