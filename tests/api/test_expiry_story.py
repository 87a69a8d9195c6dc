"""The near-expiry template's disposal story through the API: each scheme of the seed's
disposal matrix with its approval, its stock moves and its money, the conditional routing,
the finance postings and green figures, and wrong inputs refused with nothing half-written."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import text

from app.extensions import db
from tests.api.test_template_app import _login, _url, demo  # noqa: F401 - the fixture
from tests.connectors_fixtures import attempt_delivery
from tests.flows_services_fixtures import later
from tests.rules_fixtures import tenant_today

TODAY = tenant_today()


def _one(client, tenant, form: str, where: dict) -> dict:
    found = client.get(_url(tenant, form), query_string={"filter": json.dumps(where)}).json
    assert found["total"] == 1, found
    return found["items"][0]


def _records(tenant, form: str, where: dict) -> list[dict]:
    query = {"filter": json.dumps(where), "page_size": 100}
    return tenant.admin.get(_url(tenant, form), query_string=query).json["items"]


def _create(client, tenant, form: str, values: dict) -> dict:
    response = client.post(_url(tenant, form), json=values)
    assert response.status_code == 201, response.json
    return response.json


def _request(client, tenant, batch: dict, method: str, level: str, qty: int, **values) -> dict:
    """A disposal order of the batch, submitted: its flow starts."""
    body = {"batch": batch["id"], "method": method, "level": level, "qty": qty, **values}
    return _create(client, tenant, "disposal", body)


def _get(tenant, form: str, record_id: int) -> dict:
    return tenant.admin.get(f"{_url(tenant, form)}/{record_id}").json


def _sku(tenant, category: str) -> dict:
    """A SKU of the category (by code), with a weight, cost and price."""
    cat = _one(tenant.admin, tenant, "category", {"==": [{"var": "code"}, category]})
    skus = _records(tenant, "sku", {"==": [{"var": "category"}, cat["id"]]})
    return next(s for s in skus if s["weight_kg"] and not s["sku_code"].startswith("BND"))


def _inbound(tenant, category: str, left: float, qty: int, no: str, **extra) -> dict:
    """A batch of the category received in Shanghai with ``left`` of its shelf life left."""
    sku = _sku(tenant, category)
    produced = TODAY - timedelta(days=round(sku["shelf_days"] * (1 - left)))
    batch = _create(
        tenant.admin,
        tenant,
        "batch",
        {
            "sku": sku["id"],
            "batch_no": no,
            "warehouse": "上海配送中心",
            "produced": produced.isoformat(),
            **extra,
        },
    )
    move = {"batch": batch["id"], "kind": "inbound", "qty": qty, "moved_on": TODAY.isoformat()}
    _create(tenant.admin, tenant, "stock_move", move)
    return _get(tenant, "batch", batch["id"])


def _todos(client, batch: dict, level: str) -> list[dict]:
    """The person's to-dos about the batch (the Shanghai warehouse's at that level)."""
    query = {"level": level, "warehouse": "上海配送中心", "page_size": 100}
    found = client.get("/api/v1/todos", query_string=query).json["items"]
    return [t for t in found if t["record_id"] == batch["id"]]


def _task(client, record: dict) -> dict:
    """The approval of the record's flow waiting for this person, as the phone opens it."""
    tasks = client.get("/api/v1/flow-tasks", query_string={"box": "todo"}).json["items"]
    mine = [t for t in tasks if t["instance_id"] == record["_flow_instance_id"]]
    assert len(mine) == 1, tasks
    opened = client.get(f"/api/v1/flow-tasks/{mine[0]['id']}")
    assert opened.status_code == 200, opened.json
    return opened.json


def _approve(client, record: dict, **values) -> dict:
    task = _task(client, record)
    body = {"comment": "同意"}
    if values:  # what the approver may change, on the record as the phone showed it
        body |= {"values": values, "record_row_version": task["record"]["_row_version"]}
    response = client.post(f"/api/v1/flow-tasks/{task['id']}/approve", json=body)
    assert response.status_code == 200, response.json
    return task


def _instance(tenant, record: dict) -> dict:
    return tenant.admin.get(f"/api/v1/flow-instances/{record['_flow_instance_id']}").json


def _journal(tenant, disposal: dict) -> dict[str, dict]:
    entries = _records(tenant, "journal", {"==": [{"var": "disposal"}, disposal["id"]]})
    return {e["entry"]: e for e in entries}


def _moves(tenant, reference: str) -> list[tuple[str, int]]:
    found = _records(tenant, "stock_move", {"==": [{"var": "reference"}, reference]})
    return sorted((m["kind"], m["qty"]) for m in found)


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _unbalanced(app, tenant) -> int:
    """Batches whose on hand is not the sum of their moves."""
    with app.app_context():
        found = db.session.execute(
            text(
                f"SELECT count(*) FROM f{tenant.id}_batch b WHERE b.on_hand <> COALESCE(("
                "SELECT sum(CASE WHEN m.kind IN ('inbound', 'return_in', 'transfer_in') "
                f"THEN m.qty ELSE -m.qty END) FROM f{tenant.id}_stock_move m "
                "WHERE m.batch = b.id AND m.deleted_at IS NULL), 0)"
            )
        ).scalar()
        db.session.remove()
    return found


def test_a_yellow_batch_s_todo_leads_to_a_promotion_confirmed_by_sales(demo):  # noqa: F811
    batch = _inbound(demo, "SNACK", 0.5, 100, "STORY-Y1")
    rule = _one(demo.admin, demo, "batch", {"==": [{"var": "batch_no"}, "STORY-Y1"]})
    assert rule["level"] == "yellow"
    sales = _login(demo, "zhao.sales")
    assert any("渠道促销" in t["title"] for t in _todos(sales, batch, "yellow"))

    days = rule["days_left"]
    disposal = _request(
        sales, demo, batch, "promotion", "yellow", 100, daily_sales="0.5", days_to_sell=days
    )
    sellable = min(Decimal(100), Decimal("0.5") * days)
    assert Decimal(disposal["sellable_qty"]) == sellable
    suggested = 10 + (100 - sellable) / 100 * 40
    assert Decimal(disposal["suggested_discount"]).quantize(Decimal("0.01")) == round(suggested, 2)
    assert disposal["status"] == "requested" and disposal["_flow_instance_id"]

    task = _approve(sales, disposal)
    assert task["node_name"] == "销售负责人确认促销"
    after = _get(demo, "disposal", disposal["id"])
    price = Decimal(after["list_price"]) * (100 - Decimal(after["discount"])) / 100
    assert after["status"] == "approved" and Decimal(after["discount"]) == Decimal(
        disposal["suggested_discount"]
    )
    assert _money(after["recovered_amount"]) == _money(sellable * price)
    assert _instance(demo, disposal)["status"] == "approved"
    channel = _login(demo, "chen.channel").get("/api/v1/notifications").json["items"]
    assert any(n["title"] == "渠道促销已确认" for n in channel)
    # a promotion sells through the ordinary sales: no stock moved, nothing posted yet
    assert _get(demo, "batch", batch["id"])["on_hand"] == 100
    assert _journal(demo, after) == {}


def test_a_red_class_a_batch_goes_to_the_director_then_the_clearance_zone(
    demo,  # noqa: F811
    app,
    peer,
    allow_loopback,
):
    peer.route("POST /listings", lambda request: (201, {"id": "L-88"}))
    shop = next(
        c for c in demo.admin.get("/api/v1/connectors").json["items"] if c["key"] == "online_shop"
    )
    assert shop["enabled"] is False  # demo switched off: its token is to enter first
    config = {**shop["config"], "url": f"{peer.url}/listings", "token": "shop-token"}
    answer = demo.admin.patch(
        f"/api/v1/connectors/{shop['id']}", json={"config": config, "enabled": True}
    )
    assert answer.status_code == 200, answer.json

    batch = _inbound(demo, "DAIRY", 0.2, 120, "STORY-R1")
    virtual = _one(demo.admin, demo, "warehouse", {"==": [{"var": "name"}, "华东临期品虚拟仓"]})
    clerk = _login(demo, "wang.clerk")
    assert any("虚拟仓" in t["title"] for t in _todos(clerk, batch, "red"))
    valid = (TODAY + timedelta(days=3)).isoformat()
    disposal = _request(
        clerk,
        demo,
        batch,
        "clearance",
        "red",
        40,
        discount=50,
        target_warehouse=virtual["id"],
        valid_until=valid,
    )
    assert disposal["abc_class"] == "A"
    # category A red: the East-China sales director approves first, then the channel manager
    assert _approve(_login(demo, "zhou.director"), disposal)["node_name"] == "华东区销售总监审批"
    assert _get(demo, "batch", batch["id"])["on_hand"] == 120
    _approve(_login(demo, "chen.channel"), disposal)

    moved = _one(demo.admin, demo, "batch", {"==": [{"var": "batch_no"}, disposal["disposal_no"]]})
    assert moved["warehouse"] == virtual["id"] and moved["on_hand"] == 40
    assert moved["expiry"] == batch["expiry"] and moved["unit_cost"] == batch["unit_cost"]
    assert _get(demo, "batch", batch["id"])["on_hand"] == 80
    assert _moves(demo, disposal["disposal_no"]) == [("transfer_in", 40), ("transfer_out", 40)]

    price = Decimal(disposal["list_price"]) / 2  # half off in the clearance zone
    strategy = _one(demo.admin, demo, "price_strategy", {"==": [{"var": "batch"}, moved["id"]]})
    assert _money(strategy["price"]) == _money(price) and strategy["valid_until"] == valid
    [delivery] = [
        d
        for d in demo.admin.get("/api/v1/deliveries").json["items"]
        if d["connector_id"] == shop["id"]
    ]
    assert attempt_delivery(app, delivery["id"])[0] == "succeeded"
    later(demo, 1)
    assert _get(demo, "price_strategy", strategy["id"])["status"] == "listed"
    sent = peer.json(peer.requests[-1])
    assert sent["sku"] == strategy["sku_code"] and sent["batch"] == disposal["disposal_no"]
    assert (sent["quantity"], sent["valid_until"], sent["zone"]) == (40, valid, "clearance")
    assert _money(sent["price"]) == _money(price)

    after = _get(demo, "disposal", disposal["id"])
    cost = Decimal(batch["unit_cost"]) * 40
    assert after["status"] == "done" and _money(after["cost_amount"]) == _money(cost)
    assert _money(after["recovered_amount"]) == _money(price * 40)
    journal = _journal(demo, after)
    assert _money(journal["recovery"]["amount"]) == _money(price * 40)
    assert _money(journal["loss"]["amount"]) == _money(cost - price * 40)
    assert journal["loss"]["debit_account"].startswith("6701")
    assert _unbalanced(app, demo) == 0


def test_a_red_class_b_clearance_becomes_an_employee_purchase_approved_on_the_phone(demo, app):  # noqa: F811
    batch = _inbound(demo, "SNACK", 0.2, 60, "STORY-R2")
    clerk = _login(demo, "wang.clerk")
    disposal = _request(
        clerk,
        demo,
        batch,
        "clearance",
        "red",
        30,
        target_warehouse="华东临期品虚拟仓",
        unit_price="2.00",
    )
    assert disposal["abc_class"] == "B"
    channel = _login(demo, "chen.channel")
    task = _approve(channel, disposal, unit_price="3.50")
    assert task["node_name"] == "员工内购活动审批"
    after = _get(demo, "disposal", disposal["id"])
    assert after["method"] == "employee" and after["status"] == "approved"
    assert _money(after["recovered_amount"]) == _money(Decimal("3.50") * 30)
    notices = _login(demo, "wu.staff").get("/api/v1/notifications").json["items"]
    assert any(n["title"] == "员工内购通知" for n in notices)
    assert _get(demo, "batch", batch["id"])["on_hand"] == 60  # nothing moved before orders

    for qty in (12, 8):  # the internal sales desk books the staff's orders
        order = _create(
            channel,
            demo,
            "employee_order",
            {"disposal": disposal["id"], "employee": "吴员工", "qty": qty},
        )
        assert order["batch"] == batch["id"] and _money(order["amount"]) == _money(
            Decimal("3.50") * qty
        )
    assert _get(demo, "batch", batch["id"])["on_hand"] == 40
    sales = _records(demo, "stock_move", {"==": [{"var": "batch"}, batch["id"]]})
    assert sorted(m["qty"] for m in sales if m["kind"] == "sale") == [8, 12]
    journal = _journal(demo, after)
    assert journal["recovery"]["debit_account"] == "1221 其他应收款-员工内购"
    assert _money(journal["recovery"]["amount"]) == Decimal("105.00")
    loss = Decimal(batch["unit_cost"]) * 30 - Decimal("105.00")
    assert _money(journal["loss"]["amount"] if loss > 0 else 0) == _money(max(loss, 0))
    assert _unbalanced(app, demo) == 0


def test_donation_moves_the_stock_out_and_posts_the_donated_cost(demo, app):  # noqa: F811
    batch = _inbound(demo, "CHEM", 0.1, 50, "STORY-D1")
    donee = _records(demo, "donee", {"==": [{"var": "kind"}, "food_bank"]})[0]
    clerk = _login(demo, "wang.clerk")
    disposal = _request(clerk, demo, batch, "donation", "red", 20, donee=donee["id"])
    assert _approve(_login(demo, "chen.channel"), disposal)["node_name"] == "定向捐赠审批"
    after = _get(demo, "disposal", disposal["id"])
    assert after["donee"] == donee["id"] and after["status"] == "done"
    assert _get(demo, "batch", batch["id"])["on_hand"] == 30
    assert _moves(demo, disposal["disposal_no"]) == [("disposal", 20)]
    cost = Decimal(batch["unit_cost"]) * 20
    journal = _journal(demo, after)
    assert set(journal) == {"loss"}
    assert _money(journal["loss"]["amount"]) == _money(cost)
    assert journal["loss"]["debit_account"] == "6711 营业外支出-公益性捐赠"
    assert journal["loss"]["credit_account"] == "1405 库存商品"
    sku = _get(demo, "sku", batch["sku"])
    kg = Decimal(sku["weight_kg"]) * 20
    assert Decimal(after["kg_diverted"]) == kg
    factor = Decimal(_get(demo, "category", batch["category"])["co2e_per_kg"])
    assert abs(Decimal(after["co2e_avoided"]) - kg * factor) < Decimal("0.001")
    # finance exports the postings as a voucher file for Kingdee / Yonyou's voucher import
    finance = _login(demo, "qian.finance")
    columns = "voucher_no,posted_on,summary,debit_account,credit_account,amount"
    query = {
        "format": "csv",
        "fields": columns,
        "filter": json.dumps({"==": [{"var": "disposal"}, after["id"]]}),
    }
    exported = finance.get(
        f"/api/v1/forms/{demo.forms['journal']['id']}/export", query_string=query
    )
    assert exported.status_code == 200, exported.data[:300]
    lines = exported.data.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and journal["loss"]["voucher_no"] in lines[1]
    assert "6711 营业外支出-公益性捐赠" in lines[1] and "1405 库存商品" in lines[1]
    assert _unbalanced(app, demo) == 0


def test_supplier_return_records_the_credit_and_conversion_consumes_the_batch(demo, app):  # noqa: F811
    batch = _inbound(demo, "DRINK", 0.1, 80, "STORY-S1")
    sales = _login(demo, "zhao.sales")
    back = _request(sales, demo, batch, "supplier_return", "expired", 30)
    assert back["supplier"] and back["contract_terms"]
    task = _approve(
        sales,
        back,
        purchase_order="PO-202611-017",
        negotiation="按合同 7 折退货",
        recovered_amount="40.00",
    )
    assert task["node_name"] == "供应商退货协商"
    after = _get(demo, "disposal", back["id"])
    assert after["purchase_order"] == "PO-202611-017"
    assert _money(after["recovered_amount"]) == Decimal("40.00")
    assert _moves(demo, back["disposal_no"]) == [("return", 30)]
    journal = _journal(demo, after)
    assert journal["recovery"]["debit_account"] == "2202 应付账款"
    assert _money(journal["recovery"]["amount"]) == Decimal("40.00")

    convert = _request(sales, demo, batch, "conversion", "expired", 50)
    assert _approve(sales, convert, unit_price="0.50")["node_name"] == "原料转化评估"
    done = _get(demo, "disposal", convert["id"])
    assert _moves(demo, convert["disposal_no"]) == [("conversion", 50)]
    assert _get(demo, "batch", batch["id"])["on_hand"] == 0
    assert _money(done["recovered_amount"]) == Decimal("25.00")
    assert _journal(demo, done)["recovery"]["debit_account"] == "1403 原材料"
    share = Decimal(done["conversion_pct"]) / 100
    assert Decimal(done["kg_diverted"]) == (Decimal(done["weight_kg"]) * share).quantize(
        Decimal(done["kg_diverted"])
    )
    assert _unbalanced(app, demo) == 0


def test_scrap_approval_follows_the_value_thresholds(demo, app):  # noqa: F811
    small = _inbound(demo, "OTC", 0.02, 10, "STORY-X1", unit_cost="20.00")
    large = _inbound(demo, "OTC", 0.02, 300, "STORY-X2", unit_cost="50.00")
    clerk = _login(demo, "wang.clerk")
    reason = "已过期, 不可销售"
    little = _request(clerk, demo, small, "scrap", "expired", 10, reason=reason)
    big = _request(clerk, demo, large, "scrap", "expired", 300, reason=reason)
    assert Decimal(little["cost_amount"]) == 200 and Decimal(big["cost_amount"]) == 15000
    assert _approve(_login(demo, "chen.channel"), little)["node_name"] == "仓库主管审批"
    assert _approve(_login(demo, "qian.finance"), big)["node_name"] == "财务审批"
    assert _get(demo, "batch", large["id"])["on_hand"] == 300  # a second approval is due
    assert _approve(_login(demo, "zhao.sales"), big)["node_name"] == "销售负责人复核"
    for disposal, cost in ((little, 200), (big, 15000)):
        after = _get(demo, "disposal", disposal["id"])
        assert after["status"] == "done" and Decimal(after["kg_diverted"]) == 0
        assert Decimal(after["co2e_avoided"]) == 0
        journal = _journal(demo, after)
        assert set(journal) == {"loss"} and _money(journal["loss"]["amount"]) == cost
        assert journal["loss"]["debit_account"] == "6711 营业外支出-存货报废损失"
    assert _get(demo, "batch", large["id"])["on_hand"] == 0
    assert _unbalanced(app, demo) == 0


def test_asking_for_more_than_is_on_hand_is_refused_with_nothing_written(demo, app):  # noqa: F811
    batch = _inbound(demo, "CHEM", 0.1, 15, "STORY-W1")
    before = demo.admin.get(_url(demo, "disposal"), query_string={"page_size": 1}).json["total"]
    flows = demo.admin.get("/api/v1/flow-instances").json["total"]
    clerk = _login(demo, "wang.clerk")
    too_many = {"batch": batch["id"], "method": "scrap", "reason": "破损", "qty": 16}
    refused = clerk.post(_url(demo, "disposal"), json=too_many)
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["qty"]
    missing = {"batch": batch["id"], "method": "clearance", "level": "red", "qty": 5}
    refused = clerk.post(_url(demo, "disposal"), json=missing)
    assert refused.status_code == 422 and "target_warehouse" in refused.json["errors"]
    after = demo.admin.get(_url(demo, "disposal"), query_string={"page_size": 1}).json["total"]
    assert after == before
    assert demo.admin.get("/api/v1/flow-instances").json["total"] == flows
    # a staff order over what is left is refused too, and moves nothing
    disposal = _request(clerk, demo, batch, "employee", "red", 10)
    _approve(_login(demo, "chen.channel"), disposal, unit_price="1.00")
    order = {"disposal": disposal["id"], "employee": "吴员工", "qty": 16}
    refused = _login(demo, "chen.channel").post(_url(demo, "employee_order"), json=order)
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["qty"]
    assert _get(demo, "batch", batch["id"])["on_hand"] == 15
    assert _records(demo, "employee_order", {"==": [{"var": "disposal"}, disposal["id"]]}) == []
    assert _unbalanced(app, demo) == 0


def test_the_demo_has_a_year_of_every_kind_of_disposal_posted_and_balanced(demo, app):  # noqa: F811
    with app.app_context():
        rows = db.session.execute(
            text(
                f"SELECT d.method, count(*), min(d.handled_on), count(DISTINCT j.id) "
                f"FROM f{demo.id}_disposal d LEFT JOIN f{demo.id}_journal j "
                "ON j.disposal = d.id GROUP BY d.method"
            )
        ).all()
        db.session.remove()
    found = {method: (count, first, posted) for method, count, first, posted in rows}
    kinds = {
        "promotion",
        "bundle",
        "clearance",
        "employee",
        "donation",
        "supplier_return",
        "conversion",
        "scrap",
    }
    assert set(found) >= kinds, found
    assert all(found[m][2] > 0 for m in kinds - {"promotion", "bundle"}), found
    assert _unbalanced(app, demo) == 0
