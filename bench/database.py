"""Where a benchmark writes: a fresh PostgreSQL schema when DATABASE_URL names PostgreSQL,
otherwise a new SQLite file in a temporary folder."""

from __future__ import annotations

import os
import tempfile

from sqlalchemy import create_engine, text


def fresh_database_url(schema: str, prefix: str = "gs-bench-") -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tempfile.mkdtemp(prefix=prefix)}/bench.sqlite"
    base = url.replace("postgres://", "postgresql://", 1)
    engine = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
