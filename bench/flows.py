"""Approval flows: throughput with persistence after every step, growth over a long loop, and
approve latency over HTTP, each beside baselines measured in the same run.

    DATABASE_URL=postgresql://postgres@localhost:5432/test .venv/bin/python bench/flows.py

(a) start + complete a two-step approval through the service layer (every step saved with
    its version check, seats, history), in instances/s, beside raw in-memory SpiffWorkflow
    on the same definition (the ceiling) and a naive store that writes the whole serialized
    workflow (spec included) per step with bare SQL;
(b) one instance looping ``BENCH_LOOPS`` (default 500) times through a review task: mean
    time of the last 50 steps against the first 50, beside the naive whole-state store;
(c) approve calls through the HTTP API of a real gunicorn server: p50 / p95.

Each part gathers the planner's statistics (``ANALYZE``) once its tables hold some rows, as
autovacuum does on a running system; without them PostgreSQL plans the freshly filled
tables as empty and a task lookup scans every task of the tenant.

``BENCH_INSTANCES`` (default 300) sets (a)'s instances, ``BENCH_HTTP`` (default 200) the
approve calls of (c), ``BENCH_PARTS`` (default ``abc``) which parts run. On PostgreSQL
everything lives in a schema ``gs_bench_flows`` (``BENCH_SCHEMA`` names another) that is
dropped first; on SQLite in a temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.flows_http import bench_http  # noqa: E402
from bench.flows_parts import bench_growth, bench_throughput  # noqa: E402
from bench.flows_setup import (  # noqa: E402
    FIELDS,
    INSTANCES,
    LOOP,
    LOOPS,
    PARTS,
    TWO_STEP,
    database_url,
    round_trip,
)
from bench.report import Report  # noqa: E402


def main() -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.departments import create_department
    from app.auth.roles import create_role
    from app.auth.scope import Scope
    from app.auth.tenants import create_tenant
    from app.auth.users import create_user
    from app.extensions import db
    from app.flows.definitions import create_flow, deploy_bpmn
    from app.forms.apps import create_app_record
    from app.forms.forms import create_form, publish
    from app.models import User

    url = database_url()
    instance = tempfile.mkdtemp(prefix="gs-bench-instance-")
    config = {"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench"}
    app = create_app({**config, "TESTING": True})
    dialect = "postgresql" if url.startswith("postgres") else "sqlite"
    print(f"GreenShelf flows bench on {dialect}: {INSTANCES} instances, {LOOPS} loops")
    with app.app_context():
        upgrade(directory=str(ROOT / "app/migrations"))
        tenant = create_tenant(db.session, "bench", "Bench", "admin", "admin-pass-123")
        admin = db.session.scalar(db.select(User).where(User.tenant_id == tenant.id))
        scope = Scope(db.session, tenant.id, admin)
        role = create_role(scope, {"name": "总监", "code": "director", "permissions": []})
        clerk_role = create_role(
            scope,
            {"name": "仓管", "code": "clerk", "permissions": ["records.read", "records.write"]},
        )

        def user(name: str, **fields):
            body = {"username": name, "display_name": name, "password": "bench-pass-123"}
            return create_user(scope, {**body, **fields})

        head = user("head")
        department = create_department(scope, {"name": "华东仓", "head_user_id": head.id})
        people = {
            "head": head,
            "director": user("director", role_ids=[role.id]),
            "clerk": user("clerk", department_id=department.id, role_ids=[clerk_role.id]),
        }
        app_id = create_app_record(scope, {"key": "bench", "label": {"zh": "基准"}}).id
        form = create_form(
            scope, app_id, {"key": "disposal", "label": {"zh": "处置"}, "draft": {"fields": FIELDS}}
        )
        publish(scope, form.id)
        flows = {}
        for key, xml in (("two_step", TWO_STEP), ("review_loop", LOOP)):
            flow = create_flow(scope, {"key": key, "name": key, "form_id": form.id})
            deploy_bpmn(scope, flow.id, xml)
            flows[key] = flow.id
        context = {
            "app": app,
            "config": config,
            "tenant_id": tenant.id,
            "people": {k: v.id for k, v in people.items()},
            "form_id": form.id,
            "flows": flows,
            "dialect": dialect,
            "url": url,
        }
        report = Report()
        report.add(
            "machine: load average, database round trip",
            f"{os.getloadavg()[0]:.1f}",
            f"SELECT 1 in {round_trip() * 1000:.2f} ms",
            "figures scale with both",
        )
        for part, run in zip("abc", (bench_throughput, bench_growth, bench_http), strict=True):
            if part in PARTS:
                run(report, context)
        report.print(f"Summary ({dialect})")


if __name__ == "__main__":
    main()
