"""Every migration goes down as well as up: an upgrade can be undone on both databases
and redone, ending with the same tables and columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from tests.conftest import _database_url

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "app/migrations")


@pytest.fixture
def scratch_app(tmp_path, worker_id):
    url = _database_url(tmp_path, f"{worker_id}_round_trip")
    config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url}
    return create_app({**config, "GS_CELERY_CURRENT": False})


def _shape() -> dict[str, list[str]]:
    found = inspect(db.engine)
    return {
        table: sorted(c["name"] for c in found.get_columns(table))
        for table in found.get_table_names()
        if table != "alembic_version"
    }


def test_every_migration_can_be_undone_and_redone(scratch_app):
    from flask_migrate import downgrade, upgrade

    with scratch_app.app_context():
        upgrade(directory=MIGRATIONS)
        latest = _shape()
        assert {"flow_instances", "attachments", "connectors"} <= set(latest)
        downgrade(directory=MIGRATIONS, revision="base")
        assert _shape() == {}
        upgrade(directory=MIGRATIONS)
        assert _shape() == latest
        db.session.remove()
        db.engine.dispose()
