"""API answers gzipped or plain: what a page of records weighs and what it costs to send.

    .venv/bin/python bench/api_compression.py           (SQLite in a temporary folder)
    DATABASE_URL=postgresql://postgres@localhost:5432/test .venv/bin/python bench/api_compression.py

The expiry template is installed with its demo data (``GS_DEMO_BATCHES``, 3,000 batches
unless set), and an administrator asks for pages of the batch list (20, 100 and 500 rows)
and the alert list, each ``BENCH_RUNS`` times (default 30) with ``Accept-Encoding: gzip``
and without, interleaved. For each: the bytes sent, the server's time per answer (p50,
through the WSGI app, no network), and what the answer takes to arrive over a phone's
slow 4G (1.6 Mbit/s, Lighthouse's mobile throttling) and an office line (20 Mbit/s),
server time included. Plain JSON is the baseline.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GS_DEMO_BATCHES", "3000")

from bench.database import fresh_database_url  # noqa: E402
from bench.report import Report  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
LINES = {"slow 4G": 1.6e6, "office": 20e6}  # bits per second


def _arrival(seconds: float, size: int, bits_per_second: float) -> float:
    return seconds + size * 8 / bits_per_second


def main() -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.demo_org import load_demo_org
    from app.auth.scope import Scope
    from app.auth.tenants import create_tenant
    from app.extensions import db
    from app.models import User
    from app.packages.seeding import install_template

    url = fresh_database_url("gs_compress_bench")
    instance = tempfile.mkdtemp(prefix="gs-bench-instance-")
    app = create_app(
        {"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench", "TESTING": True}
    )
    dialect = "postgresql" if url.startswith("postgres") else "sqlite"
    with app.app_context():
        upgrade(directory=str(ROOT / "app/migrations"))
        tenant = create_tenant(db.session, "bench", "Bench", "admin", "admin-pass-123")
        admin = db.session.scalar(db.select(User).where(User.tenant_id == tenant.id))
        scope = Scope(db.session, tenant.id, admin)
        load_demo_org(scope, "bench-pass-123")
        list(install_template(scope, "expiry_disposal", demo=True, progress=lambda _: None))
        db.session.remove()
    client = app.test_client()
    login = {"username": "admin", "password": "admin-pass-123", "tenant": "bench"}
    assert client.post("/api/v1/auth/login", json=login).status_code == 200
    csrf = client.get_cookie("gs_csrf")
    headers = {"X-CSRF-Token": csrf.value} if csrf else {}
    forms = {f["key"]: f["id"] for f in client.get("/api/v1/forms").json["items"]}
    batches = f"/api/v1/forms/{forms['batch']}/records"
    paths = {
        "batch list, 20 rows": f"{batches}?page_size=20",
        "batch list, 100 rows": f"{batches}?page_size=100",
        "batch list, 500 rows": f"{batches}?page_size=500",
        "alerts, 50": "/api/v1/alerts?page_size=50",
    }
    print(f"API compression bench on {dialect}, {RUNS} runs of each answer")
    report = Report()
    for name, path in paths.items():
        times: dict[bool, list[float]] = {True: [], False: []}
        sizes: dict[bool, int] = {}
        for _ in range(RUNS):
            for packed in (True, False):
                asked = {**headers, **({"Accept-Encoding": "gzip"} if packed else {})}
                begun = time.perf_counter()
                response = client.get(path, headers=asked)
                body = response.get_data()
                times[packed].append(time.perf_counter() - begun)
                assert response.status_code == 200, response.status_code
                gzipped = response.headers.get("Content-Encoding") == "gzip"
                assert gzipped == (packed and len(body) > 1024 or packed and gzipped), name
                sizes[packed] = len(body)
        served = {p: statistics.median(times[p]) for p in (True, False)}
        report.add(
            f"{name}: bytes",
            f"{sizes[True]:,} gzip",
            f"{sizes[False]:,} plain",
            f"{sizes[False] / sizes[True]:.1f}x smaller",
        )
        report.add(
            f"{name}: server p50",
            f"{served[True] * 1000:.1f} ms",
            f"{served[False] * 1000:.1f} ms",
            f"+{(served[True] - served[False]) * 1000:.1f} ms to gzip",
        )
        for line, speed in LINES.items():
            ours = _arrival(served[True], sizes[True], speed)
            plain = _arrival(served[False], sizes[False], speed)
            report.add(
                f"{name}: arrives on {line}",
                f"{ours * 1000:.0f} ms",
                f"{plain * 1000:.0f} ms",
                f"{plain / ours:.1f}x sooner",
            )
    report.print(f"Summary ({dialect}; GS_DEMO_BATCHES={os.environ['GS_DEMO_BATCHES']})")


if __name__ == "__main__":
    main()
