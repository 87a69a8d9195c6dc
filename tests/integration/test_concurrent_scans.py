"""Two scans of the same rule in two processes at once fire every action exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import func, select

from app.rules.definition import FIRED_BIT
from tests.rules_fixtures import add_batch, setup_rule

pytestmark = pytest.mark.worker

SCAN = textwrap.dedent("""
    import json, sys, time
    from app import create_app
    from app.auth.scope import Scope
    from app.extensions import db
    from app.rules.rules import scan
    app = create_app()
    start = float(sys.argv[3])
    with app.app_context():
        while time.time() < start:
            time.sleep(0.005)
        print(json.dumps(scan(Scope(db.session, int(sys.argv[1]), None), int(sys.argv[2]))))
""")


def test_two_processes_scanning_at_once_fire_each_action_once(tenant, app, app_db):
    import time

    from app.models import Alert, Todo

    actions = {
        level: [{"type": "todo", "assignee": {"user": tenant.admin_id}}]
        for level in ("yellow", "red", "expired")
    }
    form, rule = setup_rule(tenant, {"actions": actions}, publish=False)
    for i in range(150):
        add_batch(tenant, form, f"C{i:03d}", (i % 50) - 5)
    assert tenant.admin.post(f"/api/v1/rules/{rule['id']}/publish").status_code == 201

    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "GS_INSTANCE_PATH": app.config["INSTANCE_PATH"],
        "SECRET_KEY": "x",
    }
    start = str(time.time() + 3)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SCAN, str(tenant.id), str(rule["id"]), start],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    fired = sorted(json.loads(out)["fired"] for out, _ in outputs)
    with app_db() as session:
        alerts = session.scalar(
            select(func.count()).select_from(Alert).where(Alert.tenant_id == tenant.id)
        )
        fired_bits = session.execute(
            select(Alert.level, Alert.fired).where(Alert.tenant_id == tenant.id)
        ).all()
        todos = session.scalar(
            select(func.count()).select_from(Todo).where(Todo.tenant_id == tenant.id)
        )
    assert alerts == 150  # every batch has 44 days or fewer of 100 left
    assert fired == [0, alerts], outputs
    # each alert's level fired once: its bit alone is set, and one to-do came of it
    assert all(fired == FIRED_BIT[level] for level, fired in fired_bits), fired_bits
    assert todos == alerts
