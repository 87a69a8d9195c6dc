"""Migration 0011 moves fired levels from ``action_firings`` onto the alerts, and back."""

from __future__ import annotations

from pathlib import Path

import pytest
from celery import current_app
from sqlalchemy import text

from app import create_app
from app.extensions import db
from tests.conftest import _database_url

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "app/migrations")
ALERT = (
    "INSERT INTO alerts (id, tenant_id, rule_id, form_id, record_id, level, title, "
    "first_seen_at, level_since, escalations, created_at, updated_at) "
    "VALUES (:id, 1, 1, 1, :id, :level, '', :at, :at, 0, :at, :at)"
)
FIRING = (
    "INSERT INTO action_firings (tenant_id, alert_id, level, at) VALUES (1, :alert, :level, :at)"
)


PARENTS = [
    "INSERT INTO tenants (id, slug, name, timezone, created_at, updated_at) "
    "VALUES (1, 'm', 'M', 'Asia/Shanghai', :at, :at)",
    "INSERT INTO apps (id, tenant_id, key, label, description, icon, created_at, updated_at) "
    "VALUES (1, 1, 'a', '{}', '', '', :at, :at)",
    "INSERT INTO forms (id, tenant_id, app_id, key, label, draft, table_name, created_at, "
    "updated_at) VALUES (1, 1, 1, 'f', '{}', '{}', 'f1_f', :at, :at)",
    "INSERT INTO rules (id, tenant_id, key, label, draft, schedule, enabled, created_at, "
    "updated_at) VALUES (1, 1, 'r', '{}', '{}', '0 2 * * *', true, :at, :at)",
]


@pytest.fixture
def scratch_app(tmp_path, worker_id, app):
    """An app on a database of its own, whose Celery app leaves the test session's the
    one other tests queue their tasks on."""
    before = current_app._get_current_object()
    url = _database_url(tmp_path, f"{worker_id}_migration")
    config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url}
    yield create_app({**config, "GS_CELERY_CURRENT": False})
    assert current_app._get_current_object() is before


def test_fired_levels_move_onto_alerts_and_back(scratch_app):
    from flask_migrate import downgrade, upgrade

    app = scratch_app
    early, late = "2026-01-01 08:00:00+00:00", "2026-01-03 08:00:00+00:00"
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0010")
        for parent in PARENTS:
            db.session.execute(text(parent), {"at": early})
        for alert_id, level in ((1, "yellow"), (2, "red"), (3, "red")):
            db.session.execute(text(ALERT), {"id": alert_id, "level": level, "at": early})
        firings = [(1, "yellow", early), (2, "yellow", early), (2, "red", late)]
        for alert_id, level, at in firings:
            db.session.execute(text(FIRING), {"alert": alert_id, "level": level, "at": at})
        # history and to-dos point at the alerts: SQLite must rebuild around them
        db.session.execute(
            text(
                "INSERT INTO alert_events (tenant_id, alert_id, to_level, at) "
                "VALUES (1, 1, 'yellow', :at)"
            ),
            {"at": early},
        )
        db.session.execute(
            text(
                "INSERT INTO todos (tenant_id, alert_id, title, body, status, created_at, "
                "updated_at) VALUES (1, 2, 't', '', 'open', :at, :at)"
            ),
            {"at": early},
        )
        db.session.commit()

        upgrade(directory=MIGRATIONS)
        rows = db.session.execute(text("SELECT id, fired, fired_at FROM alerts ORDER BY id"))
        moved = [(r.id, r.fired, r.fired_at is not None) for r in rows]
        assert moved == [(1, 2, True), (2, 2 | 4, True), (3, 0, False)]
        db.session.commit()

        downgrade(directory=MIGRATIONS, revision="0010")
        back = db.session.execute(
            text("SELECT alert_id, level FROM action_firings ORDER BY alert_id, level")
        ).all()
        assert [tuple(r) for r in back] == [(1, "yellow"), (2, "red"), (2, "yellow")]
        kept = [
            db.session.scalar(text(f"SELECT count(*) FROM {t}")) for t in ("alert_events", "todos")
        ]
        assert kept == [1, 1]
        db.session.commit()
        upgrade(directory=MIGRATIONS)
        db.session.remove()
