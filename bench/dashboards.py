"""Cockpit charts at scale: four dashboard charts over a million batches and five million
stock moves, each computed cold, served from the cache, and beside the same query
hand-written in SQL.

    DATABASE_URL=postgresql://postgres@localhost:5432/test .venv/bin/python bench/dashboards.py
    BENCH_BATCHES=100000 BENCH_MOVES=500000 DATABASE_URL=... .venv/bin/python bench/dashboards.py

``BENCH_BATCHES`` (default 1,000,000) and ``BENCH_MOVES`` (default 5,000,000) set the rows;
``BENCH_RUNS`` (default 10) the timed runs of each figure. PostgreSQL only: everything lives
in a schema ``gs_dash_bench`` (``BENCH_SCHEMA`` names another) that is dropped first, unless
``BENCH_KEEP=1`` finds the rows of an earlier run there: then they are measured again as they
are (only the charts are saved afresh), which skips the minutes of loading. The
app, tenant, users, role, forms, warning rule and charts are made through the services as
an operator would make them; the rows go in with ``insert_many`` (one COPY per chunk), then
the rule scans them once so that alerts exist, and the tables are vacuumed and analysed.

Each chart is read through ``app.dashboards.data.chart_data`` (the service behind the
API, not HTTP) by an administrator and by a viewer whose role sees one department's rows.
A cold run follows a change of the data it reads (its data generations move, as after a
record change), so nothing is served from the cache; a cached run repeats the request.
The hand-written SQL gives the same groups and totals (and previous period) in one
statement. Cold, cached and hand runs are interleaved, so the machine's load weighs on
them alike; the load average is printed next to each figure.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402

from bench.dashboards_definitions import (  # noqa: E402
    BATCH_FIELDS,
    CATEGORIES,
    CHARTS,
    KIND_NAMES,
    KIND_WEIGHTS,
    MOVE_FIELDS,
    REGIONS,
    RULE,
    SHELF_RULE,
    WAREHOUSES,
)
from bench.dashboards_hand import HAND, HAND_PREVIOUS, HAND_TOTAL  # noqa: E402
from bench.database import fresh_database_url  # noqa: E402
from bench.report import Report, percentiles, rate  # noqa: E402

BATCHES = int(os.environ.get("BENCH_BATCHES", "1000000"))
MOVES = int(os.environ.get("BENCH_MOVES", "5000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "10"))
SCHEMA = os.environ.get("BENCH_SCHEMA", "gs_dash_bench")
#: measure the rows an earlier run left in the schema instead of loading them again
KEEP = os.environ.get("BENCH_KEEP") == "1"
SLUG = "bench"
CHUNK = 10_000
DEPARTMENTS = 10
TARGET_MS = 300


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}/{fifteen:.1f}"


def batch(i: int, rnd: random.Random, today: date) -> dict:
    """One batch; young stock is the common case, one in four is near expiry or past it."""
    shelf = rnd.choice([7, 15, 30, 90, 180, 365, 540])
    age = int(shelf * 1.05 * rnd.random() ** 3)
    warehouse = WAREHOUSES[i % len(WAREHOUSES)]
    return {
        "batch_no": f"B{i:08d}",
        "sku": f"SKU{i % 5000:05d}",
        "category": CATEGORIES[i % len(CATEGORIES)],
        "warehouse": warehouse,
        "region": REGIONS[warehouse.split("-")[0]],
        "qty": 0 if i % 50 == 0 else rnd.randint(1, 500),
        "cost": Decimal(f"{rnd.uniform(1, 99):.2f}"),
        "produced": today - timedelta(days=age),
        "shelf_days": shelf,
    }


def move(i: int, rnd: random.Random, today: date, batch_ids: list[int]) -> dict:
    """One stock move; moves are written as they happen, so the table is in date order."""
    qty = rnd.randint(1, 50)
    return {
        "batch": rnd.choice(batch_ids),
        "kind": rnd.choices(KIND_NAMES, KIND_WEIGHTS)[0],
        "qty": qty,
        "amount": Decimal(f"{qty * rnd.uniform(1, 99):.2f}"),
        "date": today - timedelta(days=729 - i * 730 // MOVES),
    }


def fill(scope, form, count: int, make, today: date, departments: list[int]) -> list[int]:
    """``count`` records through ``insert_many`` (one COPY per chunk), each chunk owned by
    the next department in turn; their ids."""
    from form_engine.access import Access
    from form_engine.bulk_write import insert_many
    from form_engine.values import Prepared

    rnd = random.Random(5)
    ids: list[int] = []
    # small enough that each department owns rows all through the moves' two years
    size = max(1000, min(CHUNK, count // (len(departments) * 20)))
    for start in range(0, count, size):
        owner = departments[(start // size) % len(departments)]
        access = Access(scope.tenant_id, scope.user.id, owner, today, dialect="postgresql")
        chunk = [Prepared(make(i, rnd), {}) for i in range(start, min(start + size, count))]
        ids += insert_many(scope.session.connection(), form, chunk, access, all_or_none=True)
        scope.session.commit()
    return ids


def vacuum(session, tables: list[str]) -> None:
    """The tables as autovacuum leaves them: statistics gathered, visibility map set."""
    with session.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables:
            conn.execute(text(f"VACUUM ANALYZE {table}"))


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/dashboards.py runs on PostgreSQL: set DATABASE_URL=postgresql://...")
    from flask_migrate import upgrade

    from app import create_app
    from app.dashboards.cache import store_for
    from app.extensions import db

    started = time.perf_counter()
    url = kept_database_url() if KEEP else None
    url = url or fresh_database_url(SCHEMA, "gs-bench-dash-")
    instance = tempfile.mkdtemp(prefix="gs-bench-instance-")
    app = create_app(
        {"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench", "TESTING": True}
    )
    print(
        f"GreenShelf dashboards bench on postgresql: {BATCHES:,} batches, {MOVES:,} moves, "
        f"{RUNS} runs per figure; {load()} on {os.cpu_count()} CPUs",
        flush=True,
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "app/migrations"))
        ctx = kept_rows(db.session) if KEEP else None
        if ctx is None:
            ctx = set_up(db.session)
            load_rows(ctx)
        else:
            print("  measuring the rows of an earlier run (BENCH_KEEP=1)", flush=True)
        charts = create_charts(ctx)
        store = store_for(app)
        print(f"  cache: {type(store).__name__}, {store.seconds} s", flush=True)
        report = Report()
        for key, *_ in CHARTS:
            for who, user, seen in ctx["viewers"]:
                measure_chart(report, key, charts[key], who, user, seen, store, ctx)
        took = time.perf_counter() - started
        report.print(
            f"Summary (postgresql, {BATCHES:,} batches, {MOVES:,} moves; cold target "
            f"<= {TARGET_MS} ms; whole bench {took / 60:.1f} min)"
        )


def kept_database_url() -> str | None:
    """The schema's URL when an earlier run left its rows there (None: load them afresh)."""
    from sqlalchemy import create_engine

    base = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    engine = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text(f"SELECT to_regclass('{SCHEMA}.tenants') IS NOT NULL")  # noqa: S608
            ).scalar()
            if found:
                found = conn.execute(
                    text(f"SELECT count(*) FROM {SCHEMA}.tenants WHERE slug = :slug"),  # noqa: S608
                    {"slug": SLUG},
                ).scalar()
    finally:
        engine.dispose()
    if not found:
        return None
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{SCHEMA}"


def kept_rows(session) -> dict | None:
    """What ``set_up`` and ``load_rows`` made in an earlier run, found again."""
    from app.auth.scope import Scope
    from app.forms.forms import compiled
    from app.models import Department, Form, Rule, Tenant, User

    tenant = session.scalar(select(Tenant).where(Tenant.slug == SLUG))
    if tenant is None:
        return None
    users = {
        u.username: u for u in session.scalars(select(User).where(User.tenant_id == tenant.id))
    }
    scope = Scope(session, tenant.id, users["admin"])
    departments = list(
        session.scalars(
            select(Department.id).where(Department.tenant_id == tenant.id).order_by(Department.id)
        )
    )
    forms = {}
    for key in ("batches", "moves"):
        form_id = session.scalar(
            select(Form.id).where(Form.tenant_id == tenant.id, Form.key == key)
        )
        forms[key] = compiled(scope, form_id)
    rule = session.scalar(select(Rule.id).where(Rule.tenant_id == tenant.id, Rule.key == RULE))
    ctx = context(scope, departments, users["viewer"], forms)
    ctx["rule"] = rule
    return ctx


def context(scope, departments: list[int], viewer, forms: dict) -> dict:
    """What the measuring needs to know of the tenant ``scope`` is in (its administrator's)."""
    from app.forms.access import tenant_today

    today = tenant_today(scope)
    return {
        "scope": scope,
        "tenant": scope.tenant_id,
        "departments": departments,
        "viewers": (
            ("administrator", scope.user, None),
            ("department viewer", viewer, [departments[0]]),
        ),
        "forms": forms,
        "batches": forms["batches"][1].table.name,
        "moves": forms["moves"][1].table.name,
        "today": today,
        # the dashboard's global filter: the last twelve months (the console's lastDays(365))
        "filters": {"date_from": today - timedelta(days=364), "date_to": today},
    }


def set_up(session) -> dict:
    """Tenant, departments, a department-scoped viewer, the app and its two forms, made
    through the services."""
    from app.auth.departments import create_department
    from app.auth.roles import create_role
    from app.auth.scope import Scope
    from app.auth.tenants import create_tenant
    from app.auth.users import create_user
    from app.forms.apps import create_app_record
    from app.forms.forms import compiled, create_form, publish
    from app.models import User

    tenant = create_tenant(session, SLUG, "Bench", "admin", "admin-pass-123")
    admin = session.scalar(select(User).where(User.tenant_id == tenant.id))
    scope = Scope(session, tenant.id, admin)
    departments = [create_department(scope, {"name": f"仓储{i}部"}).id for i in range(DEPARTMENTS)]
    role = create_role(
        scope,
        {
            "code": "viewer",
            "name": "看板查看 (本部门)",
            "permissions": ["records.read", "dashboards.view"],
            "data_scope": "department",
        },
    )
    viewer = create_user(
        scope,
        {
            "username": "viewer",
            "display_name": "Viewer",
            "password": "bench-pass-123",
            "department_id": departments[0],
            "role_ids": [role.id],
        },
    )
    app_id = create_app_record(scope, {"key": "cockpit", "label": {"zh": "驾驶舱"}}).id
    forms = {}
    for key, label, draft in (
        ("batches", "批次库存", {"fields": BATCH_FIELDS, "title_field": "batch_no"}),
        ("moves", "库存流水", {"fields": MOVE_FIELDS}),
    ):
        row = create_form(scope, app_id, {"key": key, "label": {"zh": label}, "draft": draft})
        publish(scope, row.id)
        forms[key] = compiled(scope, row.id)
    return context(scope, departments, viewer, forms)


def load_rows(ctx: dict) -> None:
    """The batches and moves, then one scan of the shelf-life rule, then VACUUM ANALYZE."""
    from app.rules import rules

    scope, today, departments = ctx["scope"], ctx["today"], ctx["departments"]
    started = time.perf_counter()
    batch_form = ctx["forms"]["batches"][1]
    ids = fill(scope, batch_form, BATCHES, lambda i, r: batch(i, r, today), today, departments)
    took = time.perf_counter() - started
    print(f"  loaded {BATCHES:,} batches in {took:.0f} s ({rate(BATCHES, took)})", flush=True)
    started = time.perf_counter()
    move_form = ctx["forms"]["moves"][1]
    fill(scope, move_form, MOVES, lambda i, r: move(i, r, today, ids), today, departments)
    took = time.perf_counter() - started
    print(f"  loaded {MOVES:,} moves in {took:.0f} s ({rate(MOVES, took)})", flush=True)

    rule = rules.create_rule(scope, {"key": RULE, "label": {"zh": "临期三色"}, "draft": SHELF_RULE})
    rules.publish_rule(scope, rule.id)
    started = time.perf_counter()
    scanned = rules.scan(scope, rule.id)
    took = time.perf_counter() - started
    print(f"  rule scan {took:.1f} s: {scanned['opened']:,} alerts", flush=True)
    ctx["rule"] = rule.id
    started = time.perf_counter()
    vacuum(scope.session, [ctx["batches"], ctx["moves"], "alerts"])
    print(f"  vacuum analyze {time.perf_counter() - started:.0f} s", flush=True)


def create_charts(ctx: dict) -> dict[str, int]:
    """The charts, saved through the chart service as the chart builder saves them (those an
    earlier run saved get this run's definitions)."""
    from app.dashboards.charts import create_chart, list_charts, update_chart

    scope = ctx["scope"]
    saved = {chart.key: chart.id for chart in list_charts(scope)}
    ids = {}
    for key, form_key, label, definition in CHARTS:
        data = {"label": {"zh": label}, "form_id": ctx["forms"][form_key][0].id}
        if key in saved:
            ids[key] = update_chart(scope, saved[key], {**data, "definition": definition}).id
        else:
            ids[key] = create_chart(scope, {"key": key, **data, "definition": definition}).id
    return ids


def measure_chart(report: Report, key: str, chart_id: int, who: str, user, seen, store, ctx):
    """Cold, cached and hand-written runs of one chart for one viewer, interleaved."""
    from app.auth.scope import Scope
    from app.dashboards import generations
    from app.dashboards.charts import get_chart
    from app.dashboards.data import chart_data
    from app.extensions import db

    session = db.session
    scope = Scope(session, ctx["tenant"], session.merge(user))
    chart = get_chart(scope, chart_id)
    form_id = chart.form_id
    sources = [generations.form_source(form_id), generations.rule_source(ctx["rule"])]
    filters = ctx["filters"] if chart.definition.get("date_field") else {}
    hand = HAND[key]
    session.commit()

    def cold() -> tuple[float, dict]:
        generations.bump(scope, sources)  # the data changed: cached figures are stale
        started = time.perf_counter()
        figures = chart_data(scope, chart_id, filters, "zh", store)
        took = time.perf_counter() - started
        session.commit()
        assert not figures["cached"], key
        return took, figures

    def cached() -> float:
        started = time.perf_counter()
        figures = chart_data(scope, chart_id, filters, "zh", store)
        took = time.perf_counter() - started
        session.commit()
        assert figures["cached"], key
        return took

    def by_hand() -> tuple[float, list]:
        started = time.perf_counter()
        rows = hand(session, ctx, seen)
        took = time.perf_counter() - started
        session.commit()
        return took, rows

    first, figures = cold()
    hand_rows = by_hand()[1]
    check_same(key, figures, hand_rows)
    colds, caches, hands = [], [], []
    for _ in range(RUNS):
        colds.append(cold()[0])
        caches.append(cached())
        hands.append(by_hand()[0])
    p50 = statistics.median(colds)
    hand_p50 = statistics.median(hands)
    verdict = "within" if p50 * 1000 <= TARGET_MS else "OVER"
    report.add(
        f"{key}, {who}",
        f"cold first {first * 1000:.0f} ms, {percentiles(colds)}; "
        f"cached {percentiles(caches)}; {len(figures['rows'])} rows",
        f"hand SQL {percentiles(hands)}",
        f"cold/hand {p50 / hand_p50:.2f}x; cold p50 {verdict} {TARGET_MS} ms; {load()}",
    )


def check_same(key: str, figures: dict, hand_rows: list) -> None:
    """The service and the hand-written SQL agree on the totals (a bench of wrong figures
    would measure nothing)."""
    totals = figures["totals"]
    first = next(iter(totals))
    expected = HAND_TOTAL[key](hand_rows)
    got = totals[first]
    if expected is None or got is None:
        assert expected == got, (key, got, expected)
        return
    assert abs(float(got) - float(expected)) < 0.01, (key, got, expected)
    if figures.get("previous") is not None:
        previous = figures["previous"]["totals"][first]
        wanted = HAND_PREVIOUS[key](hand_rows)
        assert abs(float(previous or 0) - float(wanted or 0)) < 0.01, (key, previous, wanted)


if __name__ == "__main__":
    main()
