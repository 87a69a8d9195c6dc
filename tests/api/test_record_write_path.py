"""Every writer of records goes through one write path: whoever changes a batch (a person,
an import, an ERP pull, an inbound hook, a flow step, an approver, a rule), the change is
audited, its `record.*` webhook is delivered once, and the warning rules look at the batch
again, so a red batch whose stock a disposal flow takes to zero closes its alert."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from app import events
from tests.connectors_fixtures import (
    HOOK_MAPPING,
    LOT_FIELDS,
    call_hook,
    deliver_all,
    kingdee_lot,
    make_connector,
    make_hook,
    make_kingdee,
    make_sync,
    received_events,
    run_now,
)
from tests.flows_fixtures import Org, act, disposal_form, make_flow, todo
from tests.flows_services_fixtures import action, add, approver, flow_with, request_form
from tests.forms_fixtures import records_url
from tests.rules_fixtures import add_batch, batch_values, levels_of, setup_rule, tenant_today
from tests.unit.connectors.erp_peers import KingdeePeer

SECRET = "whsec-write-path-0123456789"
RECORD_EVENTS = ["record.created", "record.updated", "record.deleted", "record.restored"]


@pytest.fixture
def watched(tenant, peer, allow_loopback):
    """A batch form under a shelf-life rule, with a webhook subscribed to its records."""
    peer.route("POST /events", lambda r: (200, {"ok": True}))
    form, rule = setup_rule(tenant)
    make_connector(
        tenant,
        "record_events",
        url=f"{peer.url}/events",
        secret=SECRET,
        events=[*RECORD_EVENTS, "record.bulk_imported"],
        forms=[form["key"]],
    )
    return form, rule


def _posted(app, tenant, peer) -> list[tuple[str, object]]:
    """(event, record id or ids) of every webhook delivered so far, in order."""
    deliver_all(app, tenant)
    out = []
    for event in received_events(peer, SECRET):
        data = event["data"]
        out.append((event["event"], data.get("record_id", data.get("created"))))
    return out


def _audit(tenant, form) -> list[tuple[str, dict]]:
    url = f"/api/v1/audit?object_type=record:{form['key']}&page_size=100"
    return [(e["action"], e["diff"]) for e in reversed(tenant.admin.get(url).json["items"])]


def _patch(client, form, record: dict, **values):
    url = f"{records_url(form)}/{record['id']}"
    response = client.patch(url, json={"values": values, "row_version": record["_row_version"]})
    assert response.status_code == 200, response.json
    return response.json


def test_the_console_create_update_delete_and_restore_all_fire(tenant, app, peer, watched):
    form, rule = watched
    batch = add_batch(tenant, form, "B1", 5)
    assert levels_of(tenant, rule) == {"B1": "red"}

    fresh = _patch(tenant.admin, form, batch, produced=batch_values(90)["produced"])
    assert levels_of(tenant, rule) == {}
    _patch(tenant.admin, form, fresh, produced=batch_values(5)["produced"])
    assert levels_of(tenant, rule) == {"B1": "red"}

    url = f"{records_url(form)}/{batch['id']}"
    assert tenant.admin.delete(url).status_code in (200, 204)
    assert levels_of(tenant, rule) == {}
    assert tenant.admin.post(f"{url}/restore").status_code == 200
    assert levels_of(tenant, rule) == {"B1": "red"}

    assert _posted(app, tenant, peer) == [
        ("record.created", batch["id"]),
        ("record.updated", batch["id"]),
        ("record.updated", batch["id"]),
        ("record.deleted", batch["id"]),
        ("record.restored", batch["id"]),
    ]
    assert [a for a, _ in _audit(tenant, form)] == [
        "create",
        "update",
        "update",
        "delete",
        "restore",
    ]


def test_an_import_is_one_bulk_event_and_rechecks_what_it_wrote(tenant, app, peer, watched):
    form, rule = watched
    red, green = batch_values(5), batch_values(80)
    lines = ["batch_no,qty,cost,category,warehouse,shelf_days,produced"]
    for number, values in (("IMP-1", red), ("IMP-2", green)):
        lines.append(f"{number},10,2.5,dairy,east,100,{values['produced']}")
    job = tenant.admin.post(
        f"/api/v1/forms/{form['id']}/imports",
        data={"file": (io.BytesIO("\n".join(lines).encode()), "b.csv")},
        content_type="multipart/form-data",
    ).json
    assert (job["status"], job["inserted"]) == ("done", 2), job

    assert levels_of(tenant, rule) == {"IMP-1": "red"}
    [(event, ids)] = _posted(app, tenant, peer)
    assert event == "record.bulk_imported" and len(ids) == 2
    [(action_name, diff)] = _audit(tenant, form)
    assert action_name == "bulk_write" and diff["count"] == [None, 2]


def test_an_erp_pull_is_one_bulk_event_with_each_row_audited(tenant, app, peer, allow_loopback):
    peer.route("POST /events", lambda r: (200, {"ok": True}))
    lots, rule = setup_rule(
        tenant,
        {
            "expiry": {"field": "expiry", "production_field": "produced"},
            "metric": "remaining_days",
            "quantity_field": "qty",
            "cost_field": None,
            "category_field": None,
            "warehouse_field": "warehouse",
            "title_field": "lot_no",
            "scope": {">": [{"var": "qty"}, 0]},
        },
        fields=LOT_FIELDS,
    )
    make_connector(
        tenant,
        "lot_events",
        url=f"{peer.url}/events",
        secret=SECRET,
        events=["record.bulk_imported", "record.created"],
        forms=[lots["key"]],
    )
    kd = KingdeePeer(peer)
    soon = (tenant_today() + timedelta(days=5)).isoformat()
    later = (tenant_today() + timedelta(days=200)).isoformat()
    kd.lots = [
        {**kingdee_lot("L1", "CK1", 12), "FExpiryDate": f"{soon}T00:00:00"},
        {**kingdee_lot("L2", "CK1", 30), "FExpiryDate": f"{later}T00:00:00"},
    ]
    connector = make_kingdee(tenant, kd)
    sync = make_sync(tenant, connector, lots)
    assert run_now(app, sync["id"]) == "succeeded"

    assert levels_of(tenant, rule) == {"L1": "red"}
    posted = _posted(app, tenant, peer)
    assert [event for event, _ in posted] == ["record.bulk_imported"]
    assert len(posted[0][1]) == 2
    audit = _audit(tenant, lots)
    assert [a for a, _ in audit] == ["create", "create", "bulk_write"]
    assert audit[0][1]["via"] == [None, f"erp_sync:{sync['id']}"]


def test_an_inbound_hook_write_fires_like_a_person(tenant, app, peer, watched):
    form, rule = watched
    mapping = {**HOOK_MAPPING, "shelf_days": "$.lot.shelf", "produced": "$.lot.produced"}
    hook = make_hook(tenant, form, mapping=mapping)
    payload = {"lot": {"no": "H1", "qty": 8, "shelf": 100}, "sku": "MILK-1L", "wh": "EAST"}
    payload["lot"]["produced"] = batch_values(5)["produced"]
    answer = call_hook(tenant, hook, payload)
    assert answer.status_code == 200, answer.json

    record_id = answer.json["record_id"]
    assert levels_of(tenant, rule) == {"H1": "red"}
    assert _posted(app, tenant, peer) == [("record.created", record_id)]
    [(name, diff)] = _audit(tenant, form)
    assert name == "create" and diff["via"] == [None, f"inbound_hook:{hook['id']}"]


def test_a_flow_record_update_rechecks_and_posts(tenant, app, peer, watched):
    form, rule = watched
    batch = add_batch(tenant, form, "F1", 5)
    flow = flow_with(tenant, form, action("record.update", {"values": {"qty": 0}}))
    started = tenant.admin.post(
        f"/api/v1/flows/{flow['id']}/instances", json={"record_id": batch["id"]}
    )
    assert started.status_code == 201, started.json

    assert levels_of(tenant, rule) == {}  # no stock left: out of the rule's scope
    assert _posted(app, tenant, peer) == [
        ("record.created", batch["id"]),
        ("record.updated", batch["id"]),
    ]
    name, diff = _audit(tenant, form)[-1]
    assert name == "update" and diff["qty"] == [10, 0]
    assert diff["via"] == [None, f"flow:{started.json['id']}"]


def test_a_disposal_taking_a_red_batch_to_zero_closes_its_alert(tenant, app, peer, watched):
    form, rule = watched
    org = Org(tenant)
    clerk, head = org.client("clerk"), org.client("head")
    red = add_batch(tenant, form, "R1", 5, sku="MILK", qty=6)
    other = add_batch(tenant, form, "R2", 50, sku="MILK", qty=9)
    assert levels_of(tenant, rule) == {"R1": "red", "R2": "yellow"}
    requests = request_form(tenant)
    take = action(
        "stock.allocate",
        {
            "form": form["key"],
            "field": "qty",
            "quantity": {"var": "qty"},
            "where": {"==": [{"var": "sku"}, {"$record": "sku"}]},
            "order_by": "produced",
        },
    )
    flow = flow_with(tenant, requests, approver(take))
    request = add(clerk, requests, sku="MILK", qty=8)
    started = clerk.post(f"/api/v1/flows/{flow['id']}/instances", json={"record_id": request["id"]})
    assert started.status_code == 201, started.json
    act(head, todo(head)[0], "approve")

    assert levels_of(tenant, rule) == {"R2": "yellow"}  # R1 is empty now, R2 holds 7
    left = tenant.admin.get(f"{records_url(form)}/{other['id']}").json["qty"]
    assert left == 7
    posted = _posted(app, tenant, peer)
    assert posted[2:] == [("record.updated", red["id"]), ("record.updated", other["id"])]
    audit = _audit(tenant, form)
    assert [d["qty"] for a, d in audit[2:]] == [[6, 0], [9, 7]]


def test_an_approver_edit_rechecks_and_posts(tenant, app, peer, watched):
    form, rule = watched
    org = Org(tenant)
    head = org.client("head")
    batch = add(org.client("clerk"), form, batch_no="E1", **batch_values(5))
    flow = flow_with(tenant, form, approver(fields={"qty": "editable"}))
    started = org.client("clerk").post(
        f"/api/v1/flows/{flow['id']}/instances", json={"record_id": batch["id"]}
    )
    assert started.status_code == 201, started.json
    assert levels_of(tenant, rule) == {"E1": "red"}

    task = todo(head)[0]
    version = head.get(f"/api/v1/flow-tasks/{task['id']}").json["record"]["_row_version"]
    act(head, task, "approve", values={"qty": 0}, record_row_version=version)

    assert levels_of(tenant, rule) == {}
    assert _posted(app, tenant, peer) == [
        ("record.created", batch["id"]),
        ("record.updated", batch["id"]),
    ]
    name, diff = _audit(tenant, form)[-1]
    assert name == "update" and diff["qty"] == [10, 0]


def test_a_rule_action_record_is_written_through_the_same_path(tenant, app, peer, allow_loopback):
    peer.route("POST /events", lambda r: (200, {"ok": True}))
    Org(tenant)
    disposal = disposal_form(tenant)
    tree = {
        "type": "initiator",
        "child": {"type": "approver", "id": "fin", "name": "财务", "assignee": "role:finance"},
    }
    flow = make_flow(tenant, disposal, tree=tree)
    make_connector(
        tenant,
        "disposal_events",
        url=f"{peer.url}/events",
        secret=SECRET,
        events=["record.created"],
        forms=[disposal["key"]],
    )
    mapping = {"batch_no": {"var": "batch_no"}, "qty": {"var": "qty"}, "category": "A"}
    actions = {"red": [{"type": "start_flow", "flow": flow["key"], "mapping": mapping}]}
    form, _ = setup_rule(tenant, {"actions": actions})
    add_batch(tenant, form, "RULE-1", 5)

    [made] = tenant.admin.get(records_url(disposal)).json["items"]
    assert made["_flow_instance_id"]
    assert _posted(app, tenant, peer) == [("record.created", made["id"])]
    [(name, diff)] = _audit(tenant, disposal)
    assert name == "create" and diff["via"] == [None, "rule"]


def test_a_failing_subscriber_after_commit_keeps_the_change_and_says_so(tenant, watched):
    form, _ = watched

    def broken(change):
        raise RuntimeError("the report server is down")

    events.record_changed.after_commit.connect(broken)
    try:
        batch = add_batch(tenant, form, "AC1", 5)
    finally:
        events.record_changed.after_commit.disconnect(broken)
    assert tenant.admin.get(f"{records_url(form)}/{batch['id']}").status_code == 200
    failures = [d for a, d in _audit(tenant, form) if a == "subscriber_failed"]
    assert failures == [
        {
            "event": [None, "record.changed"],
            "subscriber": [None, broken.__qualname__],
            "error": [None, "RuntimeError: the report server is down"],
        }
    ]


def test_a_failing_subscriber_in_the_transaction_undoes_the_whole_change(tenant, app, watched):
    form, rule = watched
    refusing = flow_with(tenant, form, approver())  # the administrator has no department head
    trigger = f"/api/v1/flows/{refusing['id']}/triggers"
    on = tenant.admin.request("PUT", trigger, json={"on_submit": True})
    assert on.status_code == 200, on.json

    refused = tenant.admin.post(records_url(form), json={"batch_no": "TX1", **batch_values(5)})
    assert refused.status_code == 422 and refused.json["code"] == "no_approver"
    assert tenant.admin.get(records_url(form)).json["items"] == []
    assert levels_of(tenant, rule) == {}
    assert tenant.admin.get("/api/v1/deliveries").json["items"] == []
    assert [a for a, _ in _audit(tenant, form)] == []
