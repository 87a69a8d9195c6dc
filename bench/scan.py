"""Warning-rule scan at scale: full scan and unchanged rescan beside a row-by-row ORM loop.

    .venv/bin/python bench/scan.py --rows 200000
    DATABASE_URL=postgresql://postgres@localhost:5432/test .venv/bin/python bench/scan.py

``--rows`` (default 1,000,000) sets the batches; ``--sample`` (default 50,000) the rows the
baseline walks, whose time is extrapolated to all rows. The rule has the three alert levels
(yellow, red, expired) with default thresholds and five category overrides, a scope
(quantity > 0), a to-do for red and expired and a digest notification for yellow. Batch
ages follow a stock that mostly turns over: one batch in four is near expiry or past it.

The baseline is what a service written with the ORM would do: read each row, compute its
level in Python (the same expression, interpreted), compare with the rule's open alert
(loaded into a dict up front), write the alert (its fired level included) and its
history, and add the to-do, committing once at the end. On PostgreSQL everything lives in a schema
``gs_bench_scan`` that is dropped first; on SQLite in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, select, text  # noqa: E402

from bench.database import fresh_database_url  # noqa: E402
from bench.report import Report, rate  # noqa: E402

SCHEMA = "gs_bench_scan"
CHUNK = 20_000
CATEGORIES = ["dairy", "bakery", "snacks", "drinks", "frozen", "produce", "cosmetics"]
WAREHOUSES = ["east", "south", "north", "west"]
FIELDS = [
    {"key": "batch_no", "type": "text", "label": "批次号"},
    {"key": "sku", "type": "text", "label": "商品"},
    {
        "key": "category",
        "type": "select",
        "label": "品类",
        "options": [{"value": v} for v in CATEGORIES],
    },
    {
        "key": "warehouse",
        "type": "select",
        "label": "仓库",
        "options": [{"value": v} for v in WAREHOUSES],
    },
    {"key": "qty", "type": "integer", "label": "数量"},
    {"key": "cost", "type": "money", "label": "单位成本"},
    {"key": "produced", "type": "date", "label": "生产日期"},
    {"key": "shelf_days", "type": "integer", "label": "保质期(天)"},
]
OVERRIDES = [
    ("dairy", 40, 70),
    ("bakery", 50, 80),
    ("snacks", 20, 50),
    ("frozen", 25, 55),
    ("cosmetics", 15, 40),
]


def database_url() -> str:
    return fresh_database_url(SCHEMA, "gs-bench-scan-")


def definition(form_key: str, role: str) -> dict:
    todo = {"type": "todo", "assignee": {"role": role}}
    return {
        "form": form_key,
        "expiry": {"production_field": "produced", "shelf_life_field": "shelf_days"},
        "metric": "remaining_pct",
        "scope": {">": [{"var": "qty"}, 0]},
        "levels": {"red": 30, "yellow": 60},
        "overrides": [
            {
                "name": category,
                "when": {"==": [{"var": "category"}, category]},
                "levels": {"red": red, "yellow": yellow},
            }
            for category, red, yellow in OVERRIDES
        ],
        "quantity_field": "qty",
        "cost_field": "cost",
        "category_field": "category",
        "warehouse_field": "warehouse",
        "title_field": "batch_no",
        "digest": True,
        "actions": {
            "yellow": [{"type": "notify", "recipients": {"role": role}, "channels": ["in_app"]}],
            "red": [todo],
            "expired": [todo],
        },
    }


def batch(i: int, rnd: random.Random, today: date) -> dict:
    shelf = rnd.choice([7, 15, 30, 90, 180, 365, 540])
    age = int(shelf * 1.05 * rnd.random() ** 3)  # young stock is the common case
    return {
        "batch_no": f"B{i:08d}",
        "sku": f"SKU{i % 5000:05d}",
        "category": CATEGORIES[i % len(CATEGORIES)],
        "warehouse": WAREHOUSES[i % len(WAREHOUSES)],
        "qty": 0 if i % 50 == 0 else rnd.randint(1, 500),
        "cost": Decimal(f"{rnd.uniform(1, 99):.2f}"),
        "produced": today - timedelta(days=age),
        "shelf_days": shelf,
    }


def fill(scope, form, rows: int, today: date) -> None:
    from form_engine.access import Access
    from form_engine.bulk_write import insert_many
    from form_engine.values import Prepared

    rnd = random.Random(5)
    access = Access(scope.tenant_id, scope.user.id, None, today)
    for start in range(0, rows, CHUNK):
        chunk = [Prepared(batch(i, rnd, today), {}) for i in range(start, min(start + CHUNK, rows))]
        insert_many(scope.session.connection(), form, chunk, access, all_or_none=True)
        scope.session.commit()
    scope.session.execute(text(f"ANALYZE {form.table.name}"))
    scope.session.commit()


class Clock:
    """Wall time, and CPU time of this process plus the PostgreSQL backend serving it.

    On a shared machine the wall time grows with everyone else's load; the CPU time is
    what the work itself cost, and is printed beside it.
    """

    def __init__(self, session) -> None:
        self.backend = None
        if session.get_bind().dialect.name == "postgresql":
            pid = session.scalar(text("SELECT pg_backend_pid()"))
            if Path(f"/proc/{pid}/stat").exists():  # the server runs on this machine
                self.backend = pid

    def _server(self) -> float:
        if self.backend is None:
            return 0.0
        fields = Path(f"/proc/{self.backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time() + self._server()
        return self

    def __exit__(self, *_) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() + self._server() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s)"


def orm_loop(scope, rule_id: int, form_id: int, form, d: dict, sample: int) -> int:
    """The baseline: one Python pass over the first ``sample`` rows, one row at a time."""
    from flask_sqlalchemy.session import Session

    from app.audit import log as audit_log
    from app.models import Alert, AlertEvent, Role, Todo
    from app.rules.definition import FIRED_BIT, days_left_expr, field_types, level_expr, metric_expr
    from app.rules.rules import system_access
    from form_engine import expr

    access = system_access(scope)
    types = field_types(form, d)
    level_of, metric_of, days_of = level_expr(d), metric_expr(d), days_left_expr(d)
    role = scope.session.scalar(scope.select(Role).where(Role.code == "clerk"))
    table = form.table
    # The audit log hook would make every ORM write dearer: measure the loop alone.
    event.remove(Session, "after_flush", audit_log._collect)
    open_alerts = {
        a.record_id: a
        for a in scope.session.scalars(
            scope.select(Alert).where(Alert.rule_id == rule_id, Alert.closed_at.is_(None))
        )
    }
    rows = scope.session.execute(
        select(table).where(table.c.tenant_id == scope.tenant_id).order_by(table.c.id).limit(sample)
    )
    fired = 0
    for row in rows:
        data = dict(row._mapping)
        if not expr.is_true(expr.evaluate(d["scope"], data, access.today, types)):
            continue
        level = expr.evaluate(level_of, data, access.today, types)
        alert = open_alerts.get(row.id)
        if level not in ("yellow", "red", "expired") or (alert and alert.level == level):
            continue
        now = datetime.now(UTC)
        facts = {
            "metric": expr.evaluate(metric_of, data, access.today, types),
            "days_left": expr.evaluate(days_of, data, access.today, types),
            "quantity": data["qty"],
            "value": data["qty"] * data["cost"],
            "category": data["category"],
            "warehouse": data["warehouse"],
            "title": data["batch_no"],
        }
        alert = scope.add(
            Alert(
                rule_id=rule_id,
                form_id=form_id,
                record_id=row.id,
                level=level,
                first_seen_at=now,
                level_since=now,
                escalations=0,
                fired=FIRED_BIT[level],
                fired_at=now,
                **facts,
            )
        )
        scope.session.flush()
        scope.add(AlertEvent(alert_id=alert.id, from_level=None, to_level=level, at=now))
        if level in ("red", "expired"):
            scope.add(
                Todo(
                    alert_id=alert.id,
                    rule_id=rule_id,
                    form_id=form_id,
                    record_id=row.id,
                    title=f"临期品处理 {data['batch_no']}",
                    body=f"{level}: {data['batch_no']} 数量 {data['qty']}",
                    level=level,
                    days_left=facts["days_left"],
                    quantity=data["qty"],
                    candidate_role_id=role.id,
                )
            )
        fired += 1
    scope.session.commit()
    event.listen(Session, "after_flush", audit_log._collect)
    return fired


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=50_000)
    args = parser.parse_args()
    sample = min(args.sample, args.rows)

    from flask_migrate import upgrade

    from app import create_app
    from app.auth.scope import Scope
    from app.auth.tenants import create_tenant
    from app.auth.users import create_user
    from app.extensions import db
    from app.forms.access import tenant_today
    from app.forms.apps import create_app_record
    from app.forms.forms import compiled, create_form, publish
    from app.models import Alert, Role, Rule, User
    from app.rules import rules
    from app.rules.preview import preview

    url = database_url()
    instance = tempfile.mkdtemp(prefix="gs-bench-instance-")
    app = create_app(
        {"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench", "TESTING": True}
    )
    dialect = "postgresql" if url.startswith("postgres") else "sqlite"
    print(f"GreenShelf scan bench on {dialect}: {args.rows:,} batches, baseline on {sample:,}")
    with app.app_context():
        upgrade(directory=str(ROOT / "app/migrations"))
        tenant = create_tenant(db.session, "bench", "Bench", "admin", "admin-pass-123")
        admin = db.session.scalar(db.select(User).where(User.tenant_id == tenant.id))
        scope = Scope(db.session, tenant.id, admin)
        role = scope.add(Role(name="仓管", code="clerk", permissions=[], data_scope="all"))
        db.session.commit()
        clerk = create_user(
            scope,
            {"username": "clerk", "display_name": "Clerk", "password": "bench-pass-123"},
        )
        db.session.execute(
            text("INSERT INTO user_roles (user_id, role_id) VALUES (:u, :r)"),
            {"u": clerk.id, "r": role.id},
        )
        app_id = create_app_record(scope, {"key": "bench", "label": {"zh": "基准"}}).id
        form_row = create_form(
            scope, app_id, {"key": "batches", "label": {"zh": "批次"}, "draft": {"fields": FIELDS}}
        )
        publish(scope, form_row.id)
        _, form = compiled(scope, form_row.id)
        today = tenant_today(scope)

        started = time.perf_counter()
        fill(scope, form, args.rows, today)
        took = time.perf_counter() - started
        print(f"  loaded {args.rows:,} batches in {took:.0f} s ({rate(args.rows, took)})")

        d = definition("batches", "clerk")
        ids = {}
        for key in ("scan", "loop"):
            rule = rules.create_rule(scope, {"key": key, "label": {"zh": key}, "draft": d})
            rules.publish_rule(scope, rule.id)
            ids[key] = rule.id

        report = Report()
        with Clock(db.session) as full_clock:
            first = rules.scan(scope, ids["scan"])
        full = full_clock.wall
        levels = dict(
            db.session.execute(
                text(
                    "SELECT level, count(*) FROM alerts WHERE rule_id = :r AND closed_at IS NULL "
                    "GROUP BY level"
                ),
                {"r": ids["scan"]},
            ).all()
        )
        print(f"  full scan {full_clock}; alerts by level: {levels}; {first}", flush=True)
        with Clock(db.session) as rescan_clock:
            again = rules.scan(scope, ids["scan"])
        assert again["fired"] == 0 and again["opened"] == 0, again
        print(f"  unchanged rescan {rescan_clock}: {again}", flush=True)
        draft = {**d, "levels": {"red": 35, "yellow": 65}}
        with Clock(db.session) as preview_clock:
            what_if = preview(scope, ids["scan"], draft)
        moved = sum(what_if["changes"].values())
        print(f"  what-if preview {preview_clock}: {moved:,} batches would move", flush=True)

        with Clock(db.session) as loop_clock:
            fired = orm_loop(scope, ids["loop"], form_row.id, form, d, sample)
        loop = loop_clock.wall
        projected = loop * args.rows / sample
        projected_cpu = loop_clock.cpu * args.rows / sample
        firings = db.session.scalar(
            select(func.count())
            .select_from(Alert)
            .where(Alert.tenant_id == tenant.id, Alert.fired_at.is_not(None))
        )
        assert firings == first["fired"] + fired
        same = text(
            "SELECT count(*) FROM alerts a JOIN alerts b ON a.record_id = b.record_id "
            "WHERE a.rule_id = :scan AND b.rule_id = :loop AND a.level = b.level"
        )
        agreed = db.session.scalar(same, {"scan": ids["scan"], "loop": ids["loop"]})
        assert agreed == fired, (agreed, fired)  # both ways give the sample the same levels
        report.add(
            f"full scan, {args.rows:,} batches",
            f"{full_clock}, {rate(args.rows, full)}",
            f"ORM loop {loop_clock} on {sample:,} -> {projected:.0f} s "
            f"(CPU {projected_cpu:.0f} s) for all",
            f"{projected / full:.0f}x faster by wall time, "
            f"{projected_cpu / full_clock.cpu:.0f}x by CPU (target >= 20x); "
            f"{first['opened']:,} alerts, {first['todos']:,} to-dos; target <= 5 s",
        )
        report.add(
            "unchanged rescan",
            f"{rescan_clock}, {again['fired']} actions fired",
            f"full scan {full:.2f} s",
            "target <= 2 s, 0 actions",
        )
        report.add(
            "what-if preview of a draft",
            f"{preview_clock}",
            f"full scan {full:.2f} s",
            f"levels, groups, sample and {moved:,} moves against the published version",
        )
        load = os.getloadavg()[0]
        print(f"\nload average while running: {load:.1f} on {os.cpu_count()} CPUs")
        rule = db.session.get(Rule, ids["scan"])
        assert rule.last_scan_at is not None
        report.print(f"Summary ({dialect}, {args.rows:,} batches)")


if __name__ == "__main__":
    main()
