"""A stock ledger: moves post their quantity to their batch, which never goes below zero."""

from __future__ import annotations

import itertools
from datetime import timedelta

from tests.concurrency_fixtures import race
from tests.forms_fixtures import form_with, published_form, records_url
from tests.rules_fixtures import tenant_today

_keys = itertools.count()
IN, OUT = ["inbound", "return_in"], ["sale", "scrap"]


def _move_meta(batch_key: str, **ledger) -> dict:
    return {
        "title_field": "ref",
        "fields": [
            {"key": "ref", "type": "text", "label": "单据"},
            {
                "key": "batch",
                "type": "relation",
                "label": "批次",
                "relation": {"form": batch_key, "display": "batch_no"},
                "required": True,
            },
            {
                "key": "kind",
                "type": "select",
                "label": "类型",
                "options": [{"value": v} for v in [*IN, *OUT]],
                "required": True,
            },
            {"key": "qty", "type": "integer", "label": "数量", "validations": {"min": 1}},
        ],
        "ledger": {
            "relation": "batch",
            "quantity": "qty",
            "target": "on_hand",
            "direction": {"field": "kind", "in": IN, "out": OUT},
            **ledger,
        },
    }


def ledger_forms(tenant) -> tuple[dict, dict]:
    """A batch form keeping ``on_hand``, and a stock move form posting to it."""
    n = next(_keys)
    batch = published_form(
        tenant,
        f"lot{n}",
        {
            "title_field": "batch_no",
            "fields": [
                {"key": "batch_no", "type": "text", "label": "批次号", "unique": True},
                {
                    "key": "on_hand",
                    "type": "integer",
                    "label": "在库",
                    "default": 0,
                    "validations": {"min": 0},
                },
                {"key": "produced", "type": "date", "label": "生产日期"},
                {"key": "shelf_days", "type": "integer", "label": "保质期"},
                {"key": "cost", "type": "money", "label": "成本", "default": "2.5"},
                {
                    "key": "value",
                    "type": "formula",
                    "label": "库存金额",
                    "formula": {"*": [{"var": "on_hand"}, {"var": "cost"}]},
                },
            ],
        },
    )
    return batch, published_form(tenant, f"move{n}", _move_meta(batch["key"]))


def _on_hand(tenant, batch_form: dict, record_id: int) -> int:
    return tenant.admin.get(f"{records_url(batch_form)}/{record_id}").json["on_hand"]


def _move(client, move_form: dict, batch_id, kind: str, qty: int):
    return client.post(records_url(move_form), json={"batch": batch_id, "kind": kind, "qty": qty})


def test_an_inbound_raises_on_hand_and_a_sale_lowers_it(tenant):
    batch_form, move_form = ledger_forms(tenant)
    batch = tenant.admin.post(records_url(batch_form), json={"batch_no": "L1"}).json
    assert batch["on_hand"] == 0
    assert _move(tenant.admin, move_form, "L1", "inbound", 100).status_code == 201
    assert _on_hand(tenant, batch_form, batch["id"]) == 100
    sale = _move(tenant.admin, move_form, batch["id"], "sale", 30)
    assert sale.status_code == 201, sale.json
    after = tenant.admin.get(f"{records_url(batch_form)}/{batch['id']}").json
    assert after["on_hand"] == 70 and after["_row_version"] == 3
    trail = tenant.admin.get(f"/api/v1/audit?object_type=record:{batch_form['key']}").json
    posted = [e for e in trail["items"] if e["action"] == "update"]
    assert posted and posted[0]["diff"]["via"][1].startswith(f"ledger:{move_form['key']}:")


def test_a_sale_beyond_on_hand_is_refused_and_nothing_changes(tenant):
    batch_form, move_form = ledger_forms(tenant)
    batch = tenant.admin.post(records_url(batch_form), json={"batch_no": "L1"}).json
    _move(tenant.admin, move_form, batch["id"], "inbound", 20)
    refused = _move(tenant.admin, move_form, batch["id"], "sale", 21)
    assert refused.status_code == 422
    assert refused.json["errors"] == {"qty": ["Not enough on hand: 20 left, this takes 21."]}
    assert tenant.admin.get(records_url(move_form)).json["total"] == 1
    assert _on_hand(tenant, batch_form, batch["id"]) == 20


def test_the_refusal_speaks_chinese(tenant):
    batch_form, move_form = ledger_forms(tenant)
    batch = tenant.admin.post(records_url(batch_form), json={"batch_no": "L1"}).json
    refused = tenant.admin.post(
        records_url(move_form),
        json={"batch": batch["id"], "kind": "sale", "qty": 5},
        headers={"Accept-Language": "zh-CN"},
    )
    assert refused.json["errors"]["qty"] == ["库存不足：现有 0，本次需要 5。"]


def test_two_concurrent_sales_never_oversell(tenant):
    batch_form, move_form = ledger_forms(tenant)
    batch = tenant.admin.post(records_url(batch_form), json={"batch_no": "L1"}).json
    _move(tenant.admin, move_form, batch["id"], "inbound", 10)
    clients = []
    for _ in range(2):
        client = tenant.client()
        client.login("admin", "admin-pass-123", tenant.slug)
        clients.append(client)
    responses = race([lambda c=c: _move(c, move_form, batch["id"], "sale", 7) for c in clients])
    codes = sorted(r.status_code for r in responses)
    assert codes[0] == 201 and codes[1] in (409, 422), [r.json for r in responses]
    assert _on_hand(tenant, batch_form, batch["id"]) == 3
    assert tenant.admin.get(records_url(move_form)).json["total"] == 2


def test_a_posted_move_rechecks_the_batch_alert_level(tenant):
    batch_form, move_form = ledger_forms(tenant)
    definition = {
        "form": batch_form["key"],
        "expiry": {"production_field": "produced", "shelf_life_field": "shelf_days"},
        "metric": "remaining_pct",
        "scope": {">": [{"var": "on_hand"}, 0]},
        "quantity_field": "on_hand",
        "title_field": "batch_no",
    }
    rule = tenant.admin.post(
        "/api/v1/rules",
        json={"key": f"r_{batch_form['key']}", "label": {"zh": "临期"}, "draft": definition},
    ).json
    assert tenant.admin.post(f"/api/v1/rules/{rule['id']}/publish").status_code == 201
    produced = tenant_today() - timedelta(days=90)  # 10 of 100 days left: red
    batch = tenant.admin.post(
        records_url(batch_form),
        json={"batch_no": "L1", "produced": produced.isoformat(), "shelf_days": 100},
    ).json

    def open_alerts():
        alerts = tenant.admin.get(f"/api/v1/alerts?rule_id={rule['id']}").json["items"]
        return [(a["record_id"], a["level"], float(a["quantity"])) for a in alerts]

    assert open_alerts() == []  # nothing on hand: out of the rule's scope
    _move(tenant.admin, move_form, batch["id"], "inbound", 50)
    assert open_alerts() == [(batch["id"], "red", 50)]
    _move(tenant.admin, move_form, batch["id"], "sale", 50)
    assert open_alerts() == []


def test_the_sum_of_the_moves_is_what_is_on_hand(tenant):
    batch_form, move_form = ledger_forms(tenant)
    url = records_url(move_form)
    lots = [
        tenant.admin.post(records_url(batch_form), json={"batch_no": f"L{i}"}).json
        for i in range(3)
    ]
    bulk = tenant.admin.post(
        f"{url}/bulk",
        json={
            "records": [
                {"batch": "L0", "kind": "inbound", "qty": 40},
                {"batch": "L1", "kind": "inbound", "qty": 25},
                {"batch": "L0", "kind": "sale", "qty": 15},
                {"batch": "L2", "kind": "return_in", "qty": 4},
            ]
        },
    )
    assert bulk.status_code == 201, bulk.json
    oversold = tenant.admin.post(
        f"{url}/bulk",
        json={
            "records": [
                {"batch": "L1", "kind": "sale", "qty": 20},
                {"batch": "L1", "kind": "scrap", "qty": 6},
            ]
        },
    )
    assert oversold.status_code == 422
    assert oversold.json["errors"] == {"1.qty": ["Not enough on hand: 5 left, this takes 6."]}
    sale = _move(tenant.admin, move_form, lots[1]["id"], "sale", 5).json
    changed = tenant.admin.patch(
        f"{url}/{sale['id']}", json={"row_version": 1, "values": {"qty": 9}}
    )
    assert changed.status_code == 200, changed.json
    first_in = tenant.admin.get(f"{url}?sort=id&page_size=1").json["items"][0]
    refused = tenant.admin.delete(f"{url}/{first_in['id']}")  # L0 sold 15 of these 40
    assert refused.status_code == 422 and "qty" in refused.json["errors"]
    assert tenant.admin.delete(f"{url}/{sale['id']}").status_code == 200
    assert tenant.admin.post(f"{url}/{sale['id']}/restore").status_code == 200
    moves = tenant.admin.get(f"{url}?page_size=100").json["items"]
    posted = {lot["id"]: 0 for lot in lots}
    for move in moves:
        posted[move["batch"]] += move["qty"] if move["kind"] in IN else -move["qty"]
    on_hand = {lot["id"]: _on_hand(tenant, batch_form, lot["id"]) for lot in lots}
    assert on_hand == posted == {lots[0]["id"]: 25, lots[1]["id"]: 16, lots[2]["id"]: 4}
    values = tenant.admin.get(records_url(batch_form), query_string={"sort": "id"}).json
    assert [float(r["value"]) for r in values["items"]] == [62.5, 40.0, 10.0]  # x 2.5


def test_a_ledger_setting_that_names_the_wrong_fields_is_refused(tenant):
    batch_form, _ = ledger_forms(tenant)
    meta = _move_meta(
        batch_form["key"],
        relation="kind",
        quantity="ref",
        direction={"field": "kind", "in": ["inbound", "gift"], "out": ["inbound"]},
    )
    form, refused = form_with(tenant, "bad_moves", meta)
    assert refused.status_code == 422
    assert refused.json["errors"] == {
        "ledger.relation": ["'kind' is not a relation field of this form."],
        "ledger.quantity": ["'ref' is not a number field of this form."],
        "ledger.direction.in": ["'gift' is not an option of 'kind'."],
        "ledger.direction": ["'inbound' cannot move stock both in and out."],
    }
    target = _move_meta(batch_form["key"], target="batch_no")
    tenant.admin.patch(f"/api/v1/forms/{form['id']}", json={"draft": target})
    wrong = tenant.admin.post(f"/api/v1/forms/{form['id']}/publish")
    assert wrong.status_code == 422
    assert wrong.json["errors"] == {
        "ledger.target": ["'batch_no' is not a number field of the form 'batch' points at."]
    }
    fefo = {"order_by": "batch_no", "same": ["sku"], "kinds": ["inbound"], "reason": "qty"}
    draft = {"draft": _move_meta(batch_form["key"], fefo=fefo)}
    tenant.admin.patch(f"/api/v1/forms/{form['id']}", json=draft)
    unordered = tenant.admin.post(f"/api/v1/forms/{form['id']}/publish")
    assert unordered.status_code == 422
    assert unordered.json["errors"] == {
        "ledger.fefo.kinds": ["'inbound' is not an option that moves stock out."],
        "ledger.fefo.reason": ["'qty' is not a text field of this form."],
    }
    fefo.update(kinds=["sale"], reason="ref")
    draft = {"draft": _move_meta(batch_form["key"], fefo=fefo)}
    tenant.admin.patch(f"/api/v1/forms/{form['id']}", json=draft)
    unordered = tenant.admin.post(f"/api/v1/forms/{form['id']}/publish")
    assert unordered.status_code == 422
    assert unordered.json["errors"] == {
        "ledger.fefo.order_by": [
            "'batch_no' is not a date or number field of the form 'batch' points at."
        ],
        "ledger.fefo.same": ["'sku' is not a field of the form 'batch' points at."],
    }


def _order_meta(batch_key: str, within: str = "on_hand") -> dict:
    """An order that posts nothing but may not ask for more than its batch holds."""
    return {
        "fields": [
            {"key": "note", "type": "text", "label": "备注"},
            {
                "key": "batch",
                "type": "relation",
                "label": "批次",
                "relation": {"form": batch_key, "display": "batch_no"},
            },
            {"key": "qty", "type": "integer", "label": "数量"},
        ],
        "limit": {"relation": "batch", "quantity": "qty", "within": within},
    }


def test_an_order_asking_for_more_than_is_on_hand_is_refused_but_may_be_edited_later(tenant):
    batch_form, move_form = ledger_forms(tenant)
    orders = published_form(tenant, f"order{next(_keys)}", _order_meta(batch_form["key"]))
    batch = tenant.admin.post(records_url(batch_form), json={"batch_no": "L1"}).json
    _move(tenant.admin, move_form, batch["id"], "inbound", 10)
    refused = tenant.admin.post(records_url(orders), json={"batch": batch["id"], "qty": 11})
    assert refused.status_code == 422
    assert refused.json["errors"] == {"qty": ["Not enough on hand: 10 left, this takes 11."]}
    assert tenant.admin.get(records_url(orders)).json["total"] == 0
    order = tenant.admin.post(records_url(orders), json={"batch": batch["id"], "qty": 10}).json
    _move(tenant.admin, move_form, batch["id"], "sale", 10)  # the order was carried out
    url = f"{records_url(orders)}/{order['id']}"
    noted = tenant.admin.patch(url, json={"row_version": 1, "values": {"note": "已出库"}})
    assert noted.status_code == 200, noted.json  # other fields stay editable
    more = tenant.admin.patch(url, json={"row_version": 2, "values": {"qty": 12}})
    assert more.status_code == 422 and list(more.json["errors"]) == ["qty"]
    assert _on_hand(tenant, batch_form, batch["id"]) == 0


def test_a_limit_that_names_the_wrong_fields_is_refused(tenant):
    batch_form, _ = ledger_forms(tenant)
    meta = _order_meta(batch_form["key"], within="batch_no")
    meta["limit"].update(relation="note", quantity="note")
    _, refused = form_with(tenant, f"order{next(_keys)}", meta)
    assert refused.status_code == 422
    assert refused.json["errors"] == {
        "limit.relation": ["'note' is not a relation field of this form."],
        "limit.quantity": ["'note' is not a number field of this form."],
    }
    _, wrong = form_with(tenant, f"order{next(_keys)}", _order_meta(batch_form["key"], "batch_no"))
    assert wrong.status_code == 422
    assert wrong.json["errors"] == {
        "limit.within": ["'batch_no' is not a number field of the form 'batch' points at."]
    }
