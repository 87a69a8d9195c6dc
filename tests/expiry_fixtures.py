"""The expiry template installed without demo data, and its records made through the API:
a shop with one SKU in two warehouses, batches given by days left, stock moves."""

from __future__ import annotations

import itertools
from datetime import timedelta

from app.auth.scope import Scope
from app.extensions import db
from app.models import User
from app.packages.seeding import install_template
from tests.rules_fixtures import tenant_today

_codes = itertools.count(1)


def template_shop(tenant, app, batches: tuple) -> object:
    """The template without demo data, one SKU in two warehouses and ``batches``: (name,
    warehouse 0 or 1, days left, quantity) each; ``tenant.batches`` maps names to ids."""
    with app.app_context():
        admin = db.session.get(User, tenant.admin_id)
        scope = Scope(db.session, tenant.id, admin)
        list(install_template(scope, "expiry_disposal", demo=False, progress=lambda _: None))
        db.session.remove()
    api = tenant.admin
    tenant.forms = {f["key"]: f["id"] for f in api.get("/api/v1/forms").json["items"]}
    department = api.post("/api/v1/departments", json={"name": "华东大区"}).json["id"]
    category = add(tenant, "category", code="DAIRY", name="乳品", red_pct=30, yellow_pct=60)
    sku = add(tenant, "sku", sku_code="YG-1", name="酸奶", category=category, shelf_days=60)
    place = {"region": "east", "kind": "dc", "department": department}
    warehouses = [add(tenant, "warehouse", code=f"W{n}", name=f"仓{n}", **place) for n in (1, 2)]
    tenant.sku, tenant.warehouses = sku, warehouses
    tenant.batches = {spec[0]: add_batch(tenant, *spec) for spec in batches}
    return tenant


def url(tenant, key: str) -> str:
    return f"/api/v1/forms/{tenant.forms[key]}/records"


def add(tenant, key: str, **values) -> int:
    response = tenant.admin.post(url(tenant, key), json=values)
    assert response.status_code == 201, response.json
    return response.json["id"]


def add_batch(tenant, name: str, warehouse: int, days_left: int, qty: int) -> int:
    """A batch of the shop's SKU in its ``warehouse``-th warehouse, ``qty`` moved in."""
    expiry = tenant_today() + timedelta(days=days_left)
    batch = add(
        tenant,
        "batch",
        sku=tenant.sku,
        batch_no=f"{name}-{next(_codes)}",
        warehouse=tenant.warehouses[warehouse],
        produced=(expiry - timedelta(days=60)).isoformat(),
        shelf_days=60,
    )
    move(tenant, batch, "inbound", qty)
    return batch


def move(tenant, batch: int, kind: str, qty: int, client=None, **extra):
    values = {"batch": batch, "kind": kind, "qty": qty, "moved_on": tenant_today().isoformat()}
    return (client or tenant.admin).post(url(tenant, "stock_move"), json={**values, **extra})
