"""Deleting connectors, inbound hooks and ERP syncs: gone from the console and from every
lookup, their history kept, and a connector still in use refused with what uses it."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.integrations import sync
from app.models import InboundReceipt, SyncRun
from app.models.base import utcnow
from app.tasks.connectors import run_sync
from tests.connectors_fixtures import (
    LOT,
    attempt_delivery,
    call_hook,
    make_connector,
    make_hook,
    make_kingdee,
    make_sync,
    queue_event,
    run_now,
)
from tests.flows_services_fixtures import action, flow_with, request_form
from tests.forms_fixtures import make_form
from tests.rules_fixtures import BATCH, setup_rule

#: a key as long as keys may be, so the renamed key of a deleted one loses its end
LONG_HOOK = "erp_hook_kingdee_inventory_lots_east_wh"


def test_a_deleted_connector_is_gone_but_its_deliveries_stay(tenant, app):
    connector = make_connector(tenant, "erp_hook")
    url = f"/api/v1/connectors/{connector['id']}"
    queued = tenant.admin.post(
        f"{url}/deliveries",
        json={
            "action": "post_event",
            "inputs": {"event": "e", "data": {}},
            "idempotency_key": "k1",
        },
    ).json

    assert tenant.admin.delete(url).status_code == 204
    assert tenant.admin.get(url).status_code == 404
    assert tenant.admin.get("/api/v1/connectors").json["items"] == []
    assert tenant.admin.delete(url).status_code == 404
    assert tenant.admin.post(f"{url}/test").status_code == 404
    # the log keeps every delivery, filterable by the deleted connector
    log = tenant.admin.get(f"/api/v1/deliveries?connector_id={connector['id']}").json
    assert [d["id"] for d in log["items"]] == [queued["id"]] and log["total"] == 1
    # a delivery still queued is not sent through a deleted connector, nor replayed
    assert attempt_delivery(app, queued["id"]) == ("dead", None)
    [dead] = tenant.admin.get("/api/v1/deliveries?status=dead").json["items"]
    assert dead["last_error"] == "The connector was deleted."
    assert tenant.admin.post(f"/api/v1/deliveries/{queued['id']}/replay").status_code == 409
    # the key is free again, and the audit log says who deleted it
    assert make_connector(tenant, "erp_hook")["id"] != connector["id"]
    audit = tenant.admin.get("/api/v1/audit?object_type=connectors").json["items"]
    assert any(e["action"] == "delete" and e["object_id"] == str(connector["id"]) for e in audit)


def _statements(app, call) -> list[str]:
    """The SQL statements that ``call`` sends to the database."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_the_log_names_a_deleted_connector_read_with_its_deliveries(tenant, app):
    erp = make_connector(tenant, LONG_HOOK)
    label = {"zh": "金蝶推送", "en": "ERP push"}
    url = f"/api/v1/connectors/{erp['id']}"
    assert tenant.admin.patch(url, json={"label": label}).status_code == 200
    queued = queue_event(tenant, erp, "k1")
    assert (queued["connector_key"], queued["connector_label"]) == (LONG_HOOK, label)
    assert queued["connector_deleted"] is False

    def read_log():
        response = tenant.admin.get("/api/v1/deliveries")
        assert response.status_code == 200, response.json
        return response.json

    read_log()
    one_row = _statements(app, read_log)
    ops = make_connector(tenant, "ops_hook")
    queue_event(tenant, ops, "k2")
    queue_event(tenant, ops, "k3")
    assert tenant.admin.delete(url).status_code == 204

    log = read_log()
    by_key = {d["idempotency_key"]: d for d in log["items"]}
    assert log["total"] == 3
    gone = by_key["k1"]  # named as it was (the whole key), and marked as deleted
    assert (gone["connector_key"], gone["connector_label"]) == (LONG_HOOK, label)
    assert gone["connector_deleted"] is True and gone["connector_id"] == erp["id"]
    assert {(by_key[k]["connector_key"], by_key[k]["connector_deleted"]) for k in ("k2", "k3")} == {
        ("ops_hook", False)
    }
    # the connectors come in the page's own statement, not one lookup per delivery
    three_rows = _statements(app, read_log)
    assert len(three_rows) == len(one_row)
    assert [s for s in three_rows if "connectors" in s] == [
        s for s in three_rows if "JOIN connectors" in s
    ]
    assert len([s for s in three_rows if "JOIN connectors" in s]) == 1


def test_a_run_queued_before_its_sync_was_deleted_says_so_and_does_not_run(tenant, app, app_db):
    pull = make_sync(tenant, make_kingdee(tenant))
    with app_db() as session:  # a run under way: a second one waits its turn
        started = {"status": "running", "trigger": "schedule", "started_at": utcnow(), "errors": []}
        session.add(SyncRun(tenant_id=tenant.id, sync_id=pull["id"], **started))
        session.commit()
    with app.app_context():
        assert run_sync.run(pull["id"], "manual") == "already running"
        db.session.remove()

    assert tenant.admin.delete(f"/api/v1/connector-syncs/{pull['id']}").status_code == 204
    with app.app_context():
        assert run_sync.run(pull["id"], "manual") == "sync deleted"
        db.session.remove()
    with app_db() as session:
        runs = session.scalars(select(SyncRun.trigger).where(SyncRun.sync_id == pull["id"])).all()
    assert runs == ["schedule"]  # no run of the deleted sync was started


def test_a_connector_a_rule_or_a_flow_names_is_not_deleted(tenant):
    robot = make_connector(tenant, "ops_robot", "dingtalk_robot")
    notify = {"type": "notify", "connector": "ops_robot", "title": "红牌 {{title}}"}
    _, rule = setup_rule(tenant, {"actions": {"red": [notify]}})
    erp = make_connector(tenant, "erp")
    call = {"connector": "erp", "action": "post_event", "payload": {"event": "x", "data": {}}}
    flow = flow_with(tenant, request_form(tenant), action("connector.call", call), key="to_erp")

    refused = tenant.admin.delete(f"/api/v1/connectors/{robot['id']}")
    assert refused.status_code == 409 and refused.json["code"] == "connector_in_use"
    assert rule["key"] in refused.json["message"]
    assert refused.json["used_by"] == [{"type": "rule", "id": rule["id"], "key": rule["key"]}]
    in_chinese = tenant.admin.delete(
        f"/api/v1/connectors/{erp['id']}", headers={"Accept-Language": "zh-CN"}
    )
    assert in_chinese.status_code == 409
    assert in_chinese.json["message"] == "连接器“erp”正被流程“to_erp”使用，请先在那里移除后再删除。"
    assert in_chinese.json["used_by"] == [{"type": "flow", "id": flow["id"], "key": "to_erp"}]
    # nothing changed: both still work as before
    keys = {c["key"] for c in tenant.admin.get("/api/v1/connectors").json["items"]}
    assert keys == {"ops_robot", "erp"}

    # once the rule is archived, the robot can go
    assert tenant.admin.delete(f"/api/v1/rules/{rule['id']}").status_code == 204
    assert tenant.admin.delete(f"/api/v1/connectors/{robot['id']}").status_code == 204


def test_a_connector_a_sync_pulls_from_goes_after_the_sync(tenant, app, app_db):
    kingdee = make_kingdee(tenant)
    pull = make_sync(tenant, kingdee, schedule="* * * * *")  # due, were it not deleted
    assert run_now(app, pull["id"]) == "failed"  # the ERP is out of reach: logged as failed

    refused = tenant.admin.delete(f"/api/v1/connectors/{kingdee['id']}")
    assert refused.status_code == 409 and "the sync 'lots'" in refused.json["message"]

    url = f"/api/v1/connector-syncs/{pull['id']}"
    assert tenant.admin.delete(url).status_code == 204
    assert tenant.admin.get(url).status_code == 404
    assert tenant.admin.get(f"{url}/runs").status_code == 404
    assert tenant.admin.get("/api/v1/connector-syncs").json["items"] == []
    with app_db() as session:
        assert pull["id"] not in sync.claim_due(session)  # its schedule no longer runs it
        runs = session.scalar(
            select(func.count()).select_from(SyncRun).where(SyncRun.sync_id == pull["id"])
        )
    assert runs == 1  # the run log stays
    assert tenant.admin.delete(f"/api/v1/connectors/{kingdee['id']}").status_code == 204
    assert make_sync(tenant, make_kingdee(tenant, key="kingdee2"))["key"] == "lots"


def test_a_deleted_hook_stops_answering_and_keeps_its_receipts(tenant, app_db):
    hook = make_hook(tenant, make_form(tenant, fields=BATCH))
    assert call_hook(tenant, hook, LOT).status_code == 200

    assert tenant.admin.delete(f"/api/v1/inbound-hooks/{hook['id']}").status_code == 204
    assert call_hook(tenant, hook, LOT).status_code == 404
    assert tenant.admin.get(f"/api/v1/inbound-hooks/{hook['id']}").status_code == 404
    app_id = hook["app_id"]
    assert tenant.admin.get(f"/api/v1/apps/{app_id}/inbound-hooks").json["items"] == []
    with app_db() as session:
        receipts = session.scalar(
            select(func.count())
            .select_from(InboundReceipt)
            .where(InboundReceipt.hook_id == hook["id"])
        )
    assert receipts == 1


@pytest.mark.parametrize(
    "url", ["/api/v1/connectors/", "/api/v1/inbound-hooks/", "/api/v1/connector-syncs/"]
)
def test_unknown_ids_are_not_found(tenant, url):
    assert tenant.admin.delete(f"{url}999999").status_code == 404
    assert tenant.admin.post(f"{url}999999/restore").status_code == 404


def test_another_tenants_connector_is_as_unknown_as_one_that_never_was(tenant, make_tenant):
    other = make_tenant()
    theirs = make_connector(other, "theirs")
    url = f"/api/v1/connectors/{theirs['id']}"
    assert tenant.admin.delete(url).status_code == 404
    assert other.admin.get(url).status_code == 200
    assert other.admin.delete(url).status_code == 204
    assert tenant.admin.post(f"{url}/restore").status_code == 404  # nor is its deletion undone


def test_deleting_needs_the_permission(tenant):
    connector = make_kingdee(tenant)
    pull = make_sync(tenant, connector)
    hook = make_hook(tenant, make_form(tenant, fields=BATCH))
    clerk = tenant.user_client("clerk")
    for url in (
        f"/api/v1/connector-syncs/{pull['id']}",
        f"/api/v1/inbound-hooks/{hook['id']}",
        f"/api/v1/connectors/{connector['id']}",
    ):
        assert clerk.delete(url).status_code == 403
        assert tenant.admin.get(url).status_code == 200


def test_a_flow_cannot_be_deployed_to_call_a_deleted_connector(tenant):
    erp = make_connector(tenant, "erp_gone")
    assert tenant.admin.delete(f"/api/v1/connectors/{erp['id']}").status_code == 204
    admin = tenant.admin
    form = request_form(tenant)
    flow = admin.post("/api/v1/flows", json={"key": "late", "name": "出库", "form_id": form["id"]})
    call = {"connector": "erp_gone", "action": "post_event", "payload": {"event": "x", "data": {}}}
    tree = {"type": "initiator", "child": action("connector.call", call)}
    refused = admin.post(f"/api/v1/flows/{flow.json['id']}/versions", json={"tree": tree})
    assert refused.status_code == 422, refused.json
    assert "erp_gone" in str(refused.json)
