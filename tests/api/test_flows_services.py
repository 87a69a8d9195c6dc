"""Service tasks call registered actions: stock is allocated FEFO, records are written, a
failing action retries and then raises an incident an administrator retries."""

from __future__ import annotations

from email import message_from_bytes

import pytest

from tests.connectors_fixtures import attempt_delivery, system_emails
from tests.flows_fixtures import Org, act, todo
from tests.flows_services_fixtures import (
    action,
    add,
    approver,
    flow_with,
    history,
    later,
    record,
    request_form,
    stock_form,
)
from tests.forms_fixtures import make_form


@pytest.fixture
def setup(tenant):
    org = Org(tenant)
    return org, request_form(tenant), stock_form(tenant)


def _allocate(stock: dict) -> dict:
    return action(
        "stock.allocate",
        {
            "form": stock["key"],
            "field": "qty",
            "quantity": {"var": "qty"},
            "where": {"==": [{"var": "sku"}, {"$record": "sku"}]},
            "order_by": "expiry",
        },
    )


def _stock(clerk, stock: dict) -> dict[str, int]:
    rows = {
        "mar": add(clerk, stock, sku="X", batch="mar", qty=5, expiry="2027-03-01"),
        "jan": add(clerk, stock, sku="X", batch="jan", qty=3, expiry="2027-01-01"),
        "feb": add(clerk, stock, sku="X", batch="feb", qty=4, expiry="2027-02-01"),
        "other": add(clerk, stock, sku="Y", batch="y", qty=100, expiry="2026-12-01"),
    }
    return {k: v["id"] for k, v in rows.items()}


def _left(clerk, stock: dict, ids: dict[str, int]) -> dict[str, int]:
    return {k: record(clerk, stock, i)["qty"] for k, i in ids.items()}


def _start(clerk, flow: dict, request: dict) -> dict:
    response = clerk.post(
        f"/api/v1/flows/{flow['id']}/instances", json={"record_id": request["id"]}
    )
    assert response.status_code == 201, response.json
    return response.json


def test_an_approved_request_takes_stock_first_expired_first_out(setup):
    org, form, stock = setup
    clerk, head = org.client("clerk"), org.client("head")
    ids = _stock(clerk, stock)
    flow = flow_with(org.tenant, form, approver(_allocate(stock)))
    started = _start(clerk, flow, add(clerk, form, sku="X", qty=6))

    act(head, todo(head)[0], "approve")

    assert _left(clerk, stock, ids) == {"jan": 0, "feb": 1, "mar": 5, "other": 100}
    done = clerk.get(f"/api/v1/flow-instances/{started['id']}").json
    assert done["status"] == "approved"
    [allocated] = [e for e in done["events"] if e["action"] == "stock.allocate"]
    assert allocated["details"]["rows"] == [
        {"record_id": ids["jan"], "quantity": 3},
        {"record_id": ids["feb"], "quantity": 3},
    ]
    assert allocated["details"]["total"] == 6


def test_not_enough_stock_retries_then_raises_an_incident_an_admin_retries(setup):
    org, form, stock = setup
    clerk, head, admin = org.client("clerk"), org.client("head"), org.tenant.admin
    ids = _stock(clerk, stock)
    flow = flow_with(org.tenant, form, approver(_allocate(stock)))
    started = _start(clerk, flow, add(clerk, form, sku="X", qty=20))

    act(head, todo(head)[0], "approve")
    # The first attempt failed and nothing was taken; the flow waits for a retry.
    assert clerk.get(f"/api/v1/flow-instances/{started['id']}").json["status"] == "running"
    assert admin.get("/api/v1/flow-incidents").json["items"] == []
    later(org.tenant, 10)
    later(org.tenant, 30)  # backoff: 5 s, then 20 s; the third attempt is the last
    assert _left(clerk, stock, ids) == {"jan": 3, "feb": 4, "mar": 5, "other": 100}
    assert clerk.get(f"/api/v1/flow-instances/{started['id']}").json["status"] == "incident"

    [incident] = admin.get("/api/v1/flow-incidents?status=open").json["items"]
    assert incident["instance_id"] == started["id"] and incident["action"] == "stock.allocate"
    assert incident["attempts"] == 3
    assert incident["error"] == "Not enough stock: 20 needed, 12 available."
    zh = admin.get(f"/api/v1/flow-incidents/{incident['id']}", headers={"Accept-Language": "zh"})
    assert zh.json["run"]["status"] == "failed" and zh.json["instance_status"] == "incident"
    assert (
        admin.get(f"/api/v1/flow-incidents?instance_id={started['id']}&action=notify").json["items"]
        == []
    )
    # Nobody else can act meanwhile, and the sweeper leaves a failed action alone.
    assert later(org.tenant, 3600) == []

    # Still short: the retry fails again and the incident stays open.
    again = admin.post(f"/api/v1/flow-incidents/{incident['id']}/retry")
    assert again.status_code == 200 and again.json["status"] == "open"
    assert again.json["attempts"] == 4

    more = add(clerk, stock, sku="X", batch="apr", qty=10, expiry="2027-04-01")
    fixed = admin.post(f"/api/v1/flow-incidents/{incident['id']}/retry")
    assert fixed.status_code == 200, fixed.json
    assert fixed.json["status"] == "resolved" and fixed.json["instance_status"] == "approved"
    left = _left(clerk, stock, {**ids, "apr": more["id"]})
    assert left == {"jan": 0, "feb": 0, "mar": 0, "other": 100, "apr": 2}
    actions = [e["action"] for e in history(clerk, started["id"])]
    assert actions[-3:] == ["incident", "stock.allocate", "finish"]
    resolved = admin.post(f"/api/v1/flow-incidents/{incident['id']}/retry")
    assert resolved.status_code == 409


def test_actions_update_the_record_create_records_start_a_flow_and_notify(setup, system_mail, app):
    org, form, stock = setup
    clerk, accountant = org.client("clerk"), org.client("accountant")
    org.tenant.admin.patch(f"/api/v1/users/{org.ids['clerk']}", json={"email": "clerk@example.com"})
    review = flow_with(
        org.tenant,
        stock,
        {"type": "approver", "assignee": "role:finance"},
    )
    tree = approver(
        action(
            "record.update",
            {"values": {"note": "已出库"}},
            action(
                "record.create",
                {"form": stock["key"], "values": {"sku": {"var": "sku"}, "qty": {"var": "qty"}}},
                action(
                    "flow.start",
                    {"flow": review["key"], "values": {"sku": {"var": "sku"}, "batch": "复核"}},
                    action(
                        "notify",
                        {"to": "initiator", "message": "出库完成", "channels": ["in_app", "email"]},
                    ),
                ),
            ),
        )
    )
    flow = flow_with(org.tenant, form, tree)
    request = add(clerk, form, sku="Z", qty=7)
    started = _start(clerk, flow, request)
    act(org.client("head"), todo(org.client("head"))[0], "approve")

    assert record(clerk, form, request["id"])["note"] == "已出库"
    events = {e["action"]: e["details"] for e in history(clerk, started["id"])}
    created = record(clerk, stock, events["record.create"]["record_id"])
    assert (created["sku"], created["qty"]) == ("Z", 7)
    # The new flow runs on its own record, started by the same initiator.
    child = events["flow.start"]
    [task] = todo(accountant)
    assert task["instance_id"] == child["instance_id"] and task["initiator_id"] == org.ids["clerk"]
    assert record(clerk, stock, child["record_id"])["batch"] == "复核"
    notes = clerk.get("/api/v1/notifications").json["items"]
    assert any(n["body"] == "出库完成" for n in notes)
    assert events["notify"]["emails"] == 1
    inbox, _ = system_mail
    [email] = system_emails(org.tenant)
    assert attempt_delivery(app, email["id"]) == ("succeeded", None)
    [message] = inbox.messages
    assert message.rcpt_tos == ["clerk@example.com"]
    assert "出库完成" in message_from_bytes(message.content).get_payload(decode=True).decode()


def _attempt_delivery(app, delivery_id: int) -> str:
    from app.connectors import deliveries
    from app.connectors.environment import environment
    from app.extensions import db

    with app.app_context():
        status, _ = deliveries.attempt(db.session, environment(app), delivery_id)
        db.session.remove()
    return status


def test_a_connector_call_waits_for_its_delivery_and_a_dead_letter_is_an_incident(
    setup, app, peer, allow_loopback
):
    org, form, _ = setup
    clerk, head, admin = org.client("clerk"), org.client("head"), org.tenant.admin
    replies = iter([(500, {}), (500, {}), (500, {}), (200, {"ok": True})])
    peer.route("POST /erp", lambda request: next(replies))
    connector = admin.post(
        "/api/v1/connectors",
        json={
            "key": "erp",
            "type": "webhook",
            "label": {"zh": "ERP"},
            "config": {"url": f"{peer.url}/erp", "secret": "whsec-0123456789abcdef"},
        },
    )
    assert connector.status_code == 201, connector.json
    payload = {"event": "disposal.approved", "data": {"sku": {"$record": "sku"}}}
    call = action(
        "connector.call", {"connector": "erp", "action": "post_event", "payload": payload}
    )
    flow = flow_with(org.tenant, form, approver(call))
    started = _start(clerk, flow, add(clerk, form, sku="SKU-9", qty=1))
    act(head, todo(head)[0], "approve")

    [delivery] = admin.get("/api/v1/deliveries").json["items"]
    assert delivery["status"] == "pending" and delivery["max_attempts"] == 3
    assert later(org.tenant, 1) == []  # the flow waits for the delivery
    assert clerk.get(f"/api/v1/flow-instances/{started['id']}").json["status"] == "running"
    assert [_attempt_delivery(app, delivery["id"]) for _ in range(3)] == [
        "retrying",
        "retrying",
        "dead",
    ]
    later(org.tenant, 1)
    [incident] = admin.get("/api/v1/flow-incidents?status=open").json["items"]
    assert incident["action"] == "connector.call" and incident["attempts"] == 3
    assert clerk.get(f"/api/v1/flow-instances/{started['id']}").json["status"] == "incident"

    retried = admin.post(f"/api/v1/flow-incidents/{incident['id']}/retry").json
    assert retried["status"] == "open" and retried["run"]["status"] == "waiting"
    assert _attempt_delivery(app, delivery["id"]) == "succeeded"
    assert later(org.tenant, 1) == ["succeeded"]
    detail = admin.get(f"/api/v1/flow-incidents/{incident['id']}").json
    assert detail["status"] == "resolved" and detail["instance_status"] == "approved"
    assert peer.json(peer.requests[-1])["data"] == {"sku": "SKU-9"}


def test_a_price_computed_by_an_action_is_rounded_to_the_field_s_places(tenant):
    org = Org(tenant)
    fields = [
        {"key": "sku", "type": "text", "label": "SKU", "required": True},
        {"key": "price", "type": "money", "label": "单价"},
        {"key": "discount", "type": "percent", "label": "折扣"},
        {"key": "net", "type": "money", "label": "折后价"},
    ]
    form = make_form(tenant, fields=fields, key="priced")
    net = {"/": [{"*": [{"var": "price"}, {"-": [100, {"var": "discount"}]}]}, 100]}
    flow = flow_with(tenant, form, approver(action("record.update", {"values": {"net": net}})))
    clerk = org.client("clerk")
    request = add(clerk, form, sku="M", price="6.95", discount="33.3")
    _start(clerk, flow, request)
    act(org.client("head"), todo(org.client("head"))[0], "approve")
    # 6.95 x 66.7 % = 4.63565: four places for money, half up, where a person typing it is refused
    assert record(clerk, form, request["id"])["net"] == "4.6357"
    typed = clerk.patch(
        f"/api/v1/forms/{form['id']}/records/{request['id']}",
        json={"row_version": 2, "values": {"net": "4.63565"}},
    )
    assert typed.status_code == 422 and "net" in typed.json["errors"]
