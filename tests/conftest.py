"""Shared fixtures: one app per test run on SQLite (default) or PostgreSQL (DATABASE_URL).

Each test gets its own tenant built through the services, so tests never see each
other's rows and run in any order on either database.
"""

from __future__ import annotations

import itertools
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.auth.tenants import create_tenant
from app.extensions import db

ADMIN_PASSWORD = "admin-pass-123"
# The expiry template's demo makes 20,000 batches; tests that install it need a few hundred.
os.environ.setdefault("GS_DEMO_BATCHES", "300")
_counter = itertools.count()


def _database_url(tmp: Path, worker: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / 'test.sqlite'}"
    base = url.replace("postgres://", "postgresql://", 1)
    schema = f"{os.environ.get('GS_TEST_SCHEMA', 'gs_test')}_{worker}"
    engine = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def app(tmp_path_factory, worker_id):
    from flask_migrate import upgrade

    tmp = tmp_path_factory.mktemp("instance")
    overrides = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp),
        "DATABASE_URL": _database_url(tmp, worker_id),
        "SECRET_KEY": "test-secret",
        "GS_WORKER_STALE_SECONDS": 60,
    }
    if os.environ.get("REDIS_URL"):
        overrides["REDIS_URL"] = os.environ["REDIS_URL"]
    application = create_app(overrides)
    if "REDIS_URL" in overrides and worker_id == "master":
        # tasks an interrupted earlier run queued would reach this run's workers
        application.extensions["celery"].control.purge()
    with application.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "app/migrations"))
    yield application


@pytest.fixture
def app_db(app):
    """Direct database access for what no API can do (e.g. letting time pass).

    The context is pushed only around the caller's block: requests made while an app
    context is held would share flask.g, and so the logged-in user, between clients.
    """
    from contextlib import contextmanager

    @contextmanager
    def session():
        with app.app_context():
            yield db.session
            db.session.remove()

    return session


class ApiClient:
    """A test client that speaks JSON and sends the CSRF header like the console does."""

    def __init__(self, app, headers: dict | None = None) -> None:
        self.raw = app.test_client()
        # Messages in English unless a test asks otherwise (the API follows Accept-Language).
        self.headers = {"Accept-Language": "en", **(headers or {})}

    def request(self, method: str, url: str, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        cookie = self.raw.get_cookie("gs_csrf")
        if cookie is not None and "X-CSRF-Token" not in headers:
            headers["X-CSRF-Token"] = cookie.value
        return self.raw.open(url, method=method, headers=headers, **kwargs)

    def get(self, url, **kw):
        return self.request("GET", url, **kw)

    def post(self, url, **kw):
        return self.request("POST", url, **kw)

    def patch(self, url, **kw):
        return self.request("PATCH", url, **kw)

    def delete(self, url, **kw):
        return self.request("DELETE", url, **kw)

    def login(self, username: str, password: str, tenant: str | None = None):
        body = {"username": username, "password": password}
        if tenant:
            body["tenant"] = tenant
        return self.post("/api/v1/auth/login", json=body)


class TenantFixture:
    def __init__(self, app, slug: str) -> None:
        self.app = app
        self.slug = slug
        self.admin = ApiClient(app)
        response = self.admin.login("admin", ADMIN_PASSWORD, slug)
        assert response.status_code == 200, response.json
        self.admin_id = response.json["id"]
        self.id = response.json["tenant"]["id"]

    def client(self) -> ApiClient:
        return ApiClient(self.app)

    def add_user(self, username: str, password: str = "user-pass-123", **fields) -> dict:
        body = {"username": username, "display_name": username, "password": password, **fields}
        response = self.admin.post("/api/v1/users", json=body)
        assert response.status_code == 201, response.json
        return response.json

    def user_client(self, username: str, password: str = "user-pass-123", **fields) -> ApiClient:
        self.add_user(username, password, **fields)
        client = self.client()
        assert client.login(username, password, self.slug).status_code == 200
        return client


@pytest.fixture
def make_tenant(app):
    def make() -> TenantFixture:
        slug = f"t{next(_counter)}-{uuid.uuid4().hex[:8]}"
        with app.app_context():
            create_tenant(db.session, slug, f"Tenant {slug}", "admin", ADMIN_PASSWORD)
            db.session.remove()
        return TenantFixture(app, slug)

    return make


@pytest.fixture
def tenant(make_tenant) -> TenantFixture:
    return make_tenant()


class SmtpInbox:
    """What a real SMTP server on loopback received."""

    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    """An aiosmtpd server on a free loopback port: (inbox, port)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def system_mail(app, smtp_server):
    """The installation's mail server (GS_SMTP_*) set to the loopback SMTP server, as an
    administrator configures it: (inbox, port)."""
    inbox, port = smtp_server
    names = ("GS_SMTP_HOST", "GS_SMTP_PORT", "GS_SMTP_SECURITY")
    before = {name: app.config[name] for name in names}
    app.config.update(GS_SMTP_HOST="127.0.0.1", GS_SMTP_PORT=port, GS_SMTP_SECURITY="none")
    yield inbox, port
    app.config.update(before)


@pytest.fixture
def peer():
    """A local HTTP server that plays DingTalk, WeCom, an ERP or a webhook receiver."""
    from tests.unit.connectors.peers import Peer

    server = Peer()
    yield server
    server.close()


@pytest.fixture
def allow_loopback(app):
    """Let connectors call the local peers, as an administrator's allowlist would."""
    before = app.config["GS_OUTBOUND_ALLOWLIST"]
    app.config["GS_OUTBOUND_ALLOWLIST"] = "127.0.0.1/32"
    yield
    app.config["GS_OUTBOUND_ALLOWLIST"] = before
