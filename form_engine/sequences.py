"""Counters for auto-numbers, incremented atomically in the database.

One row per (tenant, form table, field, period). The increment is a single
INSERT ... ON CONFLICT DO UPDATE ... RETURNING, so concurrent writers on PostgreSQL or
SQLite never draw the same number.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, MetaData, String, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

_md = MetaData()
counters = Table(
    "form_sequences",
    _md,
    Column("tenant_id", BigInteger, primary_key=True),
    Column("table_name", String(63), primary_key=True),
    Column("field_key", String(40), primary_key=True),
    Column("period", String(16), primary_key=True),
    Column("value", BigInteger, nullable=False),
)


def ensure_counters(connection: Connection) -> None:
    counters.create(connection, checkfirst=True)


def next_value(
    connection: Connection,
    tenant_id: int,
    table_name: str,
    key: str,
    period: str,
    count: int = 1,
) -> int:
    """Draw ``count`` consecutive numbers; returns the last (the first is last - count + 1)."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(counters).values(
        tenant_id=tenant_id, table_name=table_name, field_key=key, period=period, value=count
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["tenant_id", "table_name", "field_key", "period"],
        set_={"value": counters.c.value + count},
    ).returning(counters.c.value)
    return int(connection.execute(stmt).scalar_one())
