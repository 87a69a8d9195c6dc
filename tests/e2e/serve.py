"""Serve a fresh GreenShelf on 127.0.0.1:5055 for the browser tests.

Makes a new database (a temporary SQLite file, or a fresh schema when DATABASE_URL points
at PostgreSQL), a tenant 'default' with administrator admin / admin-pass-123 (for a person
looking on), and serves the built console and API until stopped. Each browser test asks
POST /e2e/tenants for a tenant of its own, so tests running side by side never see each
other's messages, to-dos, tasks or records; a test that walks the template's demo asks for
the demo organisation's people too (``{"demo_org": true}``), and its demo data is small
(GS_DEMO_BATCHES, a few hundred batches) so an install takes seconds. A Celery worker on
the same database and broker sends queued deliveries and installs templates, and connectors
may call servers on loopback (the tests' own peers).
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

from flask import Flask, jsonify, request  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

PORT = int(os.environ.get("GS_E2E_PORT", "5055"))
#: the password of the demo organisation's people in a tenant that asked for them
DEMO_PASSWORD = "demo-pass-123"


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
    """POST /e2e/tenants: a new tenant and its administrator, for one test; with
    ``{"demo_org": true}`` also the demo organisation's people (app/auth/demo_org.py), who
    sign in with the tenant's slug since every such tenant has them. Test server only."""
    from app.auth.demo_org import load_demo_org
    from app.auth.scope import Scope
    from app.auth.tenants import create_tenant
    from app.extensions import db
    from app.models import User

    @app.post("/e2e/tenants")
    def new_tenant():
        name = uuid.uuid4().hex[:8]
        # usernames unique across tenants, so signing in needs no tenant slug
        admin = {"tenant": f"e2e-{name}", "username": f"admin-{name}", "password": "admin-pass-123"}
        tenant = create_tenant(
            db.session, admin["tenant"], f"E2E {name}", admin["username"], admin["password"]
        )
        if (request.get_json(silent=True) or {}).get("demo_org"):
            user = db.session.query(User).filter_by(tenant_id=tenant.id).one()
            load_demo_org(Scope(db.session, tenant.id, user), DEMO_PASSWORD)
            admin["demo_password"] = DEMO_PASSWORD
        return jsonify(admin), 201


def main() -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.tenants import create_tenant
    from app.extensions import db

    os.environ.setdefault("GS_OUTBOUND_ALLOWLIST", "127.0.0.1/32")
    # the worker inherits it: a template's demo data in seconds, not 20,000 batches
    os.environ.setdefault("GS_DEMO_BATCHES", "300")
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
