"""Serve a fresh GreenShelf on 127.0.0.1:5055 for the browser tests.

Makes a new database (a temporary SQLite file, or a fresh schema when DATABASE_URL points
at PostgreSQL), a tenant 'default' with administrator admin / admin-pass-123 (for a person
looking on), and serves the built console and API until stopped. Each browser test asks
POST /e2e/tenants for a tenant of its own, so tests running side by side never see each
other's messages, to-dos, tasks or records. A Celery worker on the same database and broker
sends queued deliveries, and connectors may call servers on loopback (the tests' own peers).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from flask import Flask, jsonify  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

PORT = int(os.environ.get("GS_E2E_PORT", "5055"))


def _start_worker(instance: Path, database_url: str) -> subprocess.Popen:
    """A real worker, as in production; it stops when this server stops."""

    def _die_with_parent() -> None:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    env = {**os.environ, "DATABASE_URL": database_url, "GS_INSTANCE_PATH": str(instance)}
    command = [sys.executable, "-m", "celery", "-A", "app.tasks.worker", "worker"]
    options = ["--pool=solo", "--loglevel=WARNING", "--without-gossip", "--without-mingle"]
    return subprocess.Popen(command + options, env=env, cwd=ROOT, preexec_fn=_die_with_parent)


def _server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    return url.replace("postgres://", "postgresql://", 1)


def _in_schema(statement: str) -> None:
    engine = create_engine(_server_url().replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def _database_url(instance: Path, schema: str) -> str:
    url = _server_url()
    if url is None:
        return f"sqlite:///{instance / 'e2e.sqlite'}"
    _in_schema(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def _serve_tenants(app: Flask) -> None:
    """POST /e2e/tenants: a new tenant and its administrator, for one test. Test server only."""
    from app.auth.tenants import create_tenant
    from app.extensions import db

    @app.post("/e2e/tenants")
    def new_tenant():
        name = uuid.uuid4().hex[:8]
        # usernames unique across tenants, so signing in needs no tenant slug
        admin = {"tenant": f"e2e-{name}", "username": f"admin-{name}", "password": "admin-pass-123"}
        create_tenant(
            db.session, admin["tenant"], f"E2E {name}", admin["username"], admin["password"]
        )
        return jsonify(admin), 201


def main() -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.tenants import create_tenant
    from app.extensions import db

    os.environ.setdefault("GS_OUTBOUND_ALLOWLIST", "127.0.0.1/32")
    instance = Path(tempfile.mkdtemp(prefix="gs-e2e-"))
    schema = f"gs_e2e_{uuid.uuid4().hex[:8]}"
    database_url = _database_url(instance, schema)
    app = create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": database_url})
    with app.app_context():
        upgrade(directory=str(ROOT / "app" / "migrations"))
        create_tenant(db.session, "default", "GreenShelf E2E", "admin", "admin-pass-123")
    _serve_tenants(app)
    worker = _start_worker(instance, database_url)
    # the test runner stops this server with SIGTERM: clean up on the way out
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        app.run(host="127.0.0.1", port=PORT, threaded=True, use_reloader=False)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        if _server_url() is not None:
            with app.app_context():
                db.engine.dispose()
            _in_schema(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


if __name__ == "__main__":
    main()
