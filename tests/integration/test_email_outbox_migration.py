"""Migration 0015 moves the unsent emails of the old outbox onto each tenant's system email
connector, where the delivery log sends them, and frees the key a user had taken."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest
from celery import current_app
from sqlalchemy import text

from app import create_app
from app.extensions import db
from tests.conftest import _database_url

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "app/migrations")
AT = "2026-01-01 08:00:00+00:00"
TENANT = (
    "INSERT INTO tenants (id, slug, name, timezone, created_at, updated_at) "
    "VALUES (:id, :slug, :slug, 'Asia/Shanghai', :at, :at)"
)
EMAIL = (
    "INSERT INTO email_deliveries (id, tenant_id, to_address, subject, body, status, attempts, "
    "error, created_at) VALUES (:id, :tenant, :to, :subject, :body, :status, "
    ":attempts, :error, :at)"
)
USERS_CONNECTOR = (
    "INSERT INTO connectors (tenant_id, key, type, label, config, enabled, created_at, "
    "updated_at) VALUES (2, 'system_email', 'webhook', '{}', '{}', true, :at, :at)"
)
#: (id, tenant, to, subject, status, attempts, error)
OUTBOX = [
    (1, 1, "a@example.com", "pending", "pending", 0, None),
    (2, 1, "b@example.com", "retrying", "retrying", 2, "451 try later"),
    (3, 1, "c@example.com", "sent", "sent", 1, None),
    (4, 2, "d@example.com", "other tenant", "pending", 0, None),
]


@pytest.fixture
def scratch_app(tmp_path, worker_id, app):
    """An app on a database of its own, whose Celery app leaves the test session's alone."""
    before = current_app._get_current_object()
    url = _database_url(tmp_path, f"{worker_id}_email_outbox")
    config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url}
    yield create_app({**config, "GS_CELERY_CURRENT": False})
    assert current_app._get_current_object() is before


def _moved() -> list[tuple]:
    rows = db.session.execute(
        text(
            "SELECT d.tenant_id, c.key, c.type, d.status, d.idempotency_key, d.last_error "
            "FROM deliveries d JOIN connectors c ON c.id = d.connector_id ORDER BY d.id"
        )
    )
    return [tuple(r) for r in rows]


def test_unsent_emails_move_onto_the_system_email_connector_and_go_out(scratch_app, smtp_server):
    from flask_migrate import downgrade, upgrade

    from app.connectors import deliveries
    from app.connectors.environment import environment
    from app.models import Connector, Delivery

    app = scratch_app
    inbox, port = smtp_server
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0014")
        for tenant_id, slug in ((1, "one"), (2, "two")):
            db.session.execute(text(TENANT), {"id": tenant_id, "slug": slug, "at": AT})
        db.session.execute(text(USERS_CONNECTOR), {"at": AT})
        for id_, tenant, to, subject, status, attempts, error in OUTBOX:
            db.session.execute(
                text(EMAIL),
                {
                    "id": id_,
                    "tenant": tenant,
                    "to": to,
                    "subject": subject,
                    "body": f"body {subject}",
                    "status": status,
                    "attempts": attempts,
                    "error": error,
                    "at": AT,
                },
            )
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        assert _moved() == [
            (1, "system_email", "email", "pending", "email-outbox-1", None),
            (1, "system_email", "email", "pending", "email-outbox-2", "451 try later"),
            (2, "system_email", "email", "pending", "email-outbox-4", None),
        ]
        keys = db.session.scalars(
            text("SELECT key FROM connectors WHERE tenant_id = 2 ORDER BY id")
        ).all()
        assert keys[1] == "system_email" and keys[0].startswith("system_email_")
        db.session.commit()

        # the mail server named in GS_SMTP_* sends them, as the worker does
        app.config.update(GS_SMTP_HOST="127.0.0.1", GS_SMTP_PORT=port)
        ids = db.session.scalars(db.select(Delivery.id).order_by(Delivery.id)).all()
        sent = [deliveries.attempt(db.session, environment(app), i)[0] for i in ids]
        assert sent == ["succeeded"] * 3
        assert [m.rcpt_tos for m in inbox.messages] == [
            ["a@example.com"],
            ["b@example.com"],
            ["d@example.com"],
        ]
        first = message_from_bytes(inbox.messages[0].content, policy=policy.default)
        assert first["Subject"] == "pending" and first["Message-ID"] == "<delivery-1@greenshelf>"
        assert first.get_content().strip() == "body pending"
        label = db.session.scalar(db.select(Connector.label).where(Connector.tenant_id == 1))
        assert label == {"zh": "系统邮件", "en": "System email"}

        # back down: what is still unsent returns to the outbox, and is not sent twice
        db.session.execute(
            text(
                "UPDATE deliveries SET status = 'pending' WHERE idempotency_key = 'email-outbox-4'"
            )
        )
        db.session.commit()
        downgrade(directory=MIGRATIONS, revision="0014")
        back = db.session.execute(
            text("SELECT tenant_id, to_address, status FROM email_deliveries")
        ).all()
        assert [tuple(r) for r in back] == [(2, "d@example.com", "pending")]
        assert [r[3] for r in _moved()] == ["succeeded", "succeeded", "dead"]
        db.session.commit()
        upgrade(directory=MIGRATIONS)
        db.session.remove()
        db.engine.dispose()
