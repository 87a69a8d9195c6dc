"""Serve a fresh GreenShelf on 127.0.0.1:5055 for the browser tests.

Makes a new database (a temporary SQLite file, or a fresh schema when DATABASE_URL points
at PostgreSQL), a tenant 'default' with administrator admin / admin-pass-123, and serves
the built console and API until stopped.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

PORT = int(os.environ.get("GS_E2E_PORT", "5055"))


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{instance / 'e2e.sqlite'}"
    url = url.replace("postgres://", "postgresql://", 1)
    schema = f"gs_e2e_{uuid.uuid4().hex[:8]}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def main() -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.tenants import create_tenant
    from app.extensions import db

    instance = Path(tempfile.mkdtemp(prefix="gs-e2e-"))
    app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": _database_url(instance)})
    with app.app_context():
        upgrade(directory=str(ROOT / "app" / "migrations"))
        create_tenant(db.session, "default", "GreenShelf E2E", "admin", "admin-pass-123")
    app.run(host="127.0.0.1", port=PORT, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
