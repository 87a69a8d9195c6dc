"""Platform events out: record created/updated, alert level changed and flow finished are
posted, signed, to the webhook connectors subscribed to them, through the delivery log."""

from __future__ import annotations

from tests.connectors_fixtures import (
    attempt_delivery,
    deliver_all,
    make_connector,
    received_events,
)
from tests.flows_fixtures import act, add_record, disposal_form, instance, make_flow, start, todo
from tests.forms_fixtures import make_form, records_url
from tests.rules_fixtures import add_batch, batch_values, setup_rule

SECRET = "whsec-events-0123456789"


def _subscribe(tenant, peer, events, forms=None, key="events") -> dict:
    config = {"url": f"{peer.url}/events", "secret": SECRET, "events": events}
    if forms is not None:
        config["forms"] = forms
    return make_connector(tenant, key, **config)


def _received(peer) -> list[dict]:
    return received_events(peer, SECRET)


def test_record_created_and_updated_are_posted(tenant, app, peer, allow_loopback):
    peer.route("POST /events", lambda r: (200, {"ok": True}))
    form = make_form(tenant)
    other = make_form(tenant)
    _subscribe(tenant, peer, ["record.created", "record.updated"], forms=[form["key"]])
    created = tenant.admin.post(records_url(form), json={"batch_no": "B1", "qty": 5}).json
    tenant.admin.post(records_url(other), json={"batch_no": "X1", "qty": 1})  # not subscribed
    updated = tenant.admin.patch(
        f"{records_url(form)}/{created['id']}",
        json={"values": {"qty": 4}, "row_version": created["_row_version"]},
    )
    assert updated.status_code == 200, updated.json
    deliver_all(app, tenant)
    events = _received(peer)
    assert [(e["event"], e["data"]["record"]["qty"]) for e in events] == [
        ("record.created", 5),
        ("record.updated", 4),
    ]
    assert events[0]["data"]["form"] == form["key"]
    assert {r["headers"]["X-GreenShelf-Event"] for r in peer.requests} == {
        "record.created",
        "record.updated",
    }
    log = tenant.admin.get("/api/v1/deliveries").json["items"]
    assert [row["status"] for row in log] == ["succeeded", "succeeded"]


def test_a_failed_change_posts_nothing(tenant, app, peer, allow_loopback):
    form = make_form(tenant)
    _subscribe(tenant, peer, ["record.created"])
    bad = tenant.admin.post(records_url(form), json={"qty": 5})  # batch_no is required
    assert bad.status_code == 422
    assert tenant.admin.get("/api/v1/deliveries").json["items"] == []


def test_alert_level_changes_are_posted(tenant, app, peer, allow_loopback):
    peer.route("POST /events", lambda r: (200, {"ok": True}))
    _subscribe(tenant, peer, ["alert.level_changed"])
    form, rule = setup_rule(tenant)
    batch = add_batch(tenant, form, "B-RED", 10)  # 10 of 100 days left: red
    deliver_all(app, tenant)
    [opened] = _received(peer)
    assert opened["event"] == "alert.level_changed"
    assert opened["data"]["record_id"] == batch["id"] and opened["data"]["rule_id"] == rule["id"]
    assert (opened["data"]["from"], opened["data"]["to"]) == (None, "red")
    fresh = tenant.admin.patch(
        f"{records_url(form)}/{batch['id']}",
        json={"values": batch_values(90), "row_version": batch["_row_version"]},
    )
    assert fresh.status_code == 200, fresh.json
    deliver_all(app, tenant)
    closed = _received(peer)[-1]["data"]
    assert (closed["from"], closed["to"]) == ("red", None)


def test_flow_finished_is_posted_once(tenant, app, peer, allow_loopback):
    peer.route("POST /events", lambda r: (200, {"ok": True}))
    _subscribe(tenant, peer, ["flow.finished"])
    form = disposal_form(tenant)
    tree = {
        "type": "initiator",
        "child": {"type": "approver", "id": "ok", "name": "确认", "assignee": "initiator"},
    }
    flow = make_flow(tenant, form, tree=tree)
    record = add_record(tenant.admin, form)
    started = start(tenant.admin, flow, record)
    assert tenant.admin.get("/api/v1/deliveries").json["items"] == []  # still running
    [task] = todo(tenant.admin)
    act(tenant.admin, task, "approve", comment="同意")
    assert instance(tenant.admin, started["id"])["status"] == "approved"
    deliver_all(app, tenant)
    [finished] = _received(peer)
    assert finished["event"] == "flow.finished"
    assert finished["data"]["instance_id"] == started["id"]
    assert finished["data"]["record_id"] == record["id"]
    assert finished["data"]["status"] == "approved"
    connector_id = tenant.admin.get("/api/v1/connectors").json["items"][0]["id"]
    delivery_id = peer.requests[0]["headers"]["X-GreenShelf-Delivery"]
    assert delivery_id == f"flow.finished:{started['id']}:{connector_id}"


def test_events_retry_like_any_delivery(tenant, app, peer, allow_loopback):
    replies = iter([(503, {}), (200, {"ok": True})])
    peer.route("POST /events", lambda r: next(replies))
    form = make_form(tenant)
    _subscribe(tenant, peer, ["record.created"])
    tenant.admin.post(records_url(form), json={"batch_no": "B1"})
    [row] = tenant.admin.get("/api/v1/deliveries").json["items"]
    for expected in ("retrying", "succeeded"):
        assert attempt_delivery(app, row["id"])[0] == expected
    assert len({r["headers"]["X-GreenShelf-Delivery"] for r in peer.requests}) == 1
    [done] = tenant.admin.get("/api/v1/deliveries").json["items"]
    assert (done["status"], done["attempts"]) == ("succeeded", 2)
