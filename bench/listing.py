"""The list benchmark: a big form filled through bulk_write, queried two ways."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import text

from form_engine import records
from form_engine.access import Access
from form_engine.bulk_write import insert_many
from form_engine.values import Prepared

CHUNK = 10_000
RUNS = 200
WAREHOUSES = ["east", "south", "north", "west"]


def fill(scope, form, count: int, departments: list[int], users: list[int], today: date) -> None:
    """``count`` valid records, each chunk owned by the next department in turn."""
    rnd = random.Random(3)
    connection = scope.session.connection
    for start in range(0, count, CHUNK):
        access = Access(scope.tenant_id, users[0], departments[(start // CHUNK) % 10], today)
        chunk = [
            Prepared(
                {
                    "sku": f"L{i:08d}",
                    "name": f"临期商品 {i % 997}",
                    "qty": rnd.randint(0, 5000),
                    "cost": Decimal(f"{rnd.uniform(1, 999):.2f}"),
                    "weight": Decimal(f"{rnd.uniform(0.1, 50):.3f}"),
                    "expiry": today + timedelta(days=rnd.randint(-30, 700)),
                    "warehouse": WAREHOUSES[i % 4],
                    "urgent": i % 7 == 0,
                    "owner": users[i % len(users)],
                    "contact": f"buyer{i % 500}@example.com",
                },
                {},
            )
            for i in range(start, min(start + CHUNK, count))
        ]
        insert_many(connection(), form, chunk, access, all_or_none=True)
        scope.session.commit()
    # The table as autovacuum leaves a loaded one: statistics gathered and, on PostgreSQL,
    # the visibility map set (which index-only counts rely on).
    bind = scope.session.get_bind()
    vacuum = "VACUUM ANALYZE" if bind.dialect.name == "postgresql" else "ANALYZE"
    with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"{vacuum} {form.table.name}"))


def _access(scope, today: date, departments: frozenset[int] | None) -> Access:
    dialect = scope.session.get_bind().dialect.name
    if departments is None:
        return Access(scope.tenant_id, scope.user.id, None, today, dialect=dialect)
    return Access(scope.tenant_id, None, None, today, "department", departments, dialect=dialect)


def _case(n: int) -> tuple[str, int]:
    """The warehouse and page of the n-th request: near-expiry stock, soonest first."""
    return WAREHOUSES[n % 4], 1 + n % 5


def service_query(scope, form, today: date, departments, n: int) -> dict:
    warehouse, page = _case(n)
    condition = {
        "and": [
            {"==": [{"var": "warehouse"}, warehouse]},
            {"<=": [{"var": "expiry"}, {"add_days": [{"today": []}, 30]}]},
        ]
    }
    return records.query(
        scope.session.connection(),
        form,
        _access(scope, today, departments),
        condition=condition,
        sort=["expiry"],
        page=page,
        page_size=20,
    )


def hand_query(scope, form, today: date, departments, n: int) -> tuple[int, list]:
    warehouse, page = _case(n)
    where = "tenant_id = :tenant AND deleted_at IS NULL AND warehouse = :w AND expiry <= :until"
    if departments is not None:
        where += f" AND owner_department_id IN ({', '.join(str(d) for d in departments)})"
    params = {"tenant": scope.tenant_id, "w": warehouse, "until": today + timedelta(days=30)}
    session = scope.session
    total = session.execute(text(f"SELECT count(*) FROM {form.table.name} WHERE {where}"), params)
    rows = session.execute(
        text(
            f"SELECT * FROM {form.table.name} WHERE {where} ORDER BY expiry, id "
            f"LIMIT 20 OFFSET {(page - 1) * 20}"
        ),
        params,
    )
    return total.scalar_one(), rows.all()


def measure(run) -> list[float]:
    for n in range(10):
        run(n)
    samples = []
    for n in range(RUNS):
        started = time.perf_counter()
        run(n)
        samples.append(time.perf_counter() - started)
    return samples
