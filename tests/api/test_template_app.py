"""The expiry template installs as an app package, with demo data that raises alerts, and
the demo organisation's people each see their own region."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from app.auth.demo_org import REGIONS, USERS, load_demo_org
from app.auth.scope import Scope
from app.extensions import db
from app.models import User
from app.packages.packages import export_app, import_app
from app.packages.seeding import install_template
from tests.conftest import ApiClient
from tests.rules_fixtures import tenant_today

FORMS = {
    "category",
    "supplier",
    "sku",
    "warehouse",
    "donee",
    "employee",
    "batch",
    "stock_move",
    "sales_line",
    "disposal",
    "journal",
    "price_strategy",
    "employee_order",
    "outbound_order",
}
#: what each demo user sees of the batches: a region, or every one (None)
SEES = {"wang.clerk": "east", "li.clerk": "south", "zhang.clerk": "north", "zhou.director": "east"}
SEES_ALL = {"zhao.sales", "chen.channel", "qian.finance", "sun.manager"}


def _scope(tenant):
    admin = db.session.get(User, tenant.admin_id)
    return Scope(db.session, tenant.id, admin)


@pytest.fixture
def demo(tenant, app):
    """A tenant with the demo organisation and the template with its demo records."""
    with app.app_context():
        load_demo_org(_scope(tenant), "demo-pass-123")
        lines = list(
            install_template(_scope(tenant), "expiry_disposal", demo=True, progress=lambda _: None)
        )
        db.session.remove()
    assert lines[0].startswith("Installed the 'expiry_disposal' app: 14 forms, 2 rules")
    tenant.lines = lines
    tenant.forms = {f["key"]: f for f in tenant.admin.get("/api/v1/forms").json["items"]}
    return tenant


def test_the_demo_comes_with_the_alerts_its_past_disposals_answered(demo):
    [said] = [line for line in demo.lines if line.startswith("alerts: ")]
    written = int(said.split()[1])
    assert written > 0
    closed = demo.admin.get("/api/v1/alerts?closed=true&page_size=1").json
    assert closed["total"] >= written
    assert "The warning rules have scanned the demo records." in demo.lines


def _url(tenant, key: str) -> str:
    return f"/api/v1/forms/{tenant.forms[key]['id']}/records"


def _login(tenant, username: str) -> ApiClient:
    client = tenant.client()
    assert client.login(username, "demo-pass-123", tenant.slug).status_code == 200
    return client


def test_the_batch_list_shows_product_level_and_days_left(demo):
    assert set(demo.forms) == FORMS
    page = demo.admin.get(f"{_url(demo, 'batch')}?sort=expiry&page_size=50").json
    assert page["total"] > 250
    columns = ["sku", "batch_no", "warehouse", "level", "days_left", "expiry", "on_hand"]
    assert page["list"]["columns"][:7] == columns
    item = page["items"][0]
    assert item["level"] == "expired" and item["days_left"] <= 0 and item["expiry"]
    names = page["titles"]
    assert names["sku"][str(item["sku"])] and not names["sku"][str(item["sku"])].startswith("#")
    assert names["warehouse"][str(item["warehouse"])].endswith(("仓", "中心"))
    # shelf life, cost and category came from the SKU
    sku = demo.admin.get(f"{_url(demo, 'sku')}/{item['sku']}").json
    assert item["unit_cost"] == sku["unit_cost"] and item["category"] == sku["category"]
    levels = demo.admin.get("/api/v1/alerts/summary").json["levels"]
    assert all(levels[level]["count"] > 0 for level in ("yellow", "red", "expired"))
    soon = demo.admin.get(
        _url(demo, "batch"),
        query_string={"filter": '{"<=": [{"var": "days_left"}, 3]}', "sort": "-days_left"},
    ).json
    assert soon["items"] and all(i["days_left"] <= 3 for i in soon["items"])


def test_the_ledger_keeps_every_batch_on_hand(demo, app):
    with app.app_context():
        mismatched = db.session.execute(
            text(
                f"SELECT count(*) FROM f{demo.id}_batch b WHERE b.on_hand <> COALESCE(("
                "SELECT sum(CASE WHEN m.kind IN ('inbound', 'return_in', 'transfer_in') "
                f"THEN m.qty ELSE -m.qty END) FROM f{demo.id}_stock_move m WHERE m.batch = b.id"
                "), 0)"
            )
        ).scalar()
        kinds = db.session.execute(text(f"SELECT DISTINCT kind FROM f{demo.id}_stock_move"))
        kinds = {k for (k,) in kinds}
        stale = db.session.execute(
            text(
                f"SELECT count(*) FROM f{demo.id}_batch "
                "WHERE abs(stock_value - on_hand * unit_cost) > 0.005"
            )
        ).scalar()
        db.session.remove()
    assert mismatched == 0 and stale == 0
    assert kinds >= {"inbound", "sale", "transfer_in", "transfer_out"}


def test_a_category_s_own_thresholds_decide_the_level(demo):
    """Dairy goes red below 40 % of its shelf life left, snacks below 30 %."""
    skus = demo.admin.get(_url(demo, "sku"), query_string={"page_size": 100}).json
    by_category = {}
    for sku in skus["items"]:
        by_category.setdefault(skus["titles"]["category"][str(sku["category"])], sku)
    levels = {}
    for category in ("乳品", "休闲零食"):
        sku = by_category[category]
        produced = tenant_today() - timedelta(days=round(sku["shelf_days"] * 0.65))
        batch = demo.admin.post(
            _url(demo, "batch"),
            json={
                "sku": sku["id"],
                "batch_no": f"T-{sku['sku_code']}",
                "warehouse": "上海配送中心",
                "produced": produced.isoformat(),
            },
        ).json
        move = {"batch": batch["id"], "kind": "inbound", "qty": 10, "moved_on": "2026-01-01"}
        assert demo.admin.post(_url(demo, "stock_move"), json=move).status_code == 201
        found = demo.admin.get(
            _url(demo, "batch"),
            query_string={"filter": f'{{"==": [{{"var": "batch_no"}}, "T-{sku["sku_code"]}"]}}'},
        ).json["items"]
        levels[category] = found[0]["level"]
    assert levels == {"乳品": "red", "休闲零食": "yellow"}


def test_each_demo_user_sees_only_their_region(demo):
    warehouses = demo.admin.get(_url(demo, "warehouse")).json["items"]
    region_of = {w["id"]: w["region"] for w in warehouses}
    everything = demo.admin.get(_url(demo, "batch"), query_string={"page_size": 1}).json["total"]
    for username, _name, _department, _role in USERS:
        client = _login(demo, username)
        page = client.get(_url(demo, "batch"), query_string={"page_size": 100}).json
        if username in SEES_ALL:
            assert page["total"] == everything, username
            continue
        if username not in SEES:  # the employee: his own records only, none of them batches
            assert page["total"] == 0
            assert client.get(_url(demo, "sku")).json["total"] > 0  # reference data: everyone
            continue
        region = SEES[username]
        ids = [w for w, r in region_of.items() if r == region]
        where = f'{{"in": [{{"var": "warehouse"}}, {ids}]}}'
        mine = demo.admin.get(_url(demo, "batch"), query_string={"filter": where}).json["total"]
        assert 0 < page["total"] == mine < everything, username
        assert {region_of[i["warehouse"]] for i in page["items"]} == {region}
        seen = client.get(_url(demo, "warehouse")).json["items"]
        assert {w["region"] for w in seen} == {region} and len(seen) == 3


def test_a_clerk_s_todos_are_his_region_s_and_open(demo):
    client = _login(demo, "li.clerk")
    south = {
        w["name"]
        for w in demo.admin.get(_url(demo, "warehouse")).json["items"]
        if w["region"] == "south"
    }
    todos = client.get("/api/v1/todos", query_string={"page_size": 100}).json
    assert todos["total"] > 0
    assert {t["warehouse"] for t in todos["items"]} <= south
    for todo in todos["items"][:20]:
        opened = client.get(f"/api/v1/forms/{todo['form_id']}/records/{todo['record_id']}")
        assert opened.status_code == 200, todo
    every = demo.admin.get("/api/v1/alerts", query_string={"page_size": 1}).json["total"]
    assert every > 0
    north = _login(demo, "zhang.clerk").get("/api/v1/todos").json["items"]
    assert not {t["id"] for t in north} & {t["id"] for t in todos["items"]}
    other = next(t for t in north if t["record_id"])
    assert (
        client.get(f"/api/v1/forms/{other['form_id']}/records/{other['record_id']}").status_code
        == 404
    )
    assert client.post(f"/api/v1/todos/{other['id']}/claim").status_code == 404
    regions = {d for _, _, d, _ in USERS} & set(REGIONS.values())
    assert len(regions) == 3


def test_export_then_import_into_another_tenant(make_tenant, app):
    source, target = make_tenant(), make_tenant()
    with app.app_context():
        list(install_template(_scope(source), "expiry_disposal", demo=False))
        app_id = source.admin.get("/api/v1/apps").json["items"][0]["id"]
        package = export_app(_scope(source), app_id)
        db.session.remove()
    assert {f["key"] for f in package["forms"]} == FORMS
    moves = next(f for f in package["forms"] if f["key"] == "stock_move")
    assert moves["meta"]["ledger"]["target"] == "on_hand"
    package["forms"].reverse()  # relations are resolved whatever the order
    with app.app_context():
        import_app(_scope(target), package)
        db.session.remove()
    keys = {f["key"] for f in target.admin.get("/api/v1/forms").json["items"]}
    assert keys == FORMS
    rules = target.admin.get("/api/v1/rules").json["items"]
    assert {r["key"] for r in rules} == {"expiry_levels", "predicted_unsold"}
    assert all(r["published_version"] == 1 for r in rules)
