"""A REST connector through the platform: templated request, fields from the reply in the
delivery log, and templates that try to reach Python refused for good (never retried)."""

from __future__ import annotations

import json

import pytest

from tests.connectors_fixtures import attempt_delivery, make_connector


def _call(tenant, connector, variables, key="call-1") -> dict:
    queued = tenant.admin.post(
        f"/api/v1/connectors/{connector['id']}/deliveries",
        json={"action": "call", "inputs": {"variables": variables}, "idempotency_key": key},
    )
    assert queued.status_code == 202, queued.json
    return queued.json


def test_a_templated_call_returns_extracted_fields(tenant, app, peer, allow_loopback):
    peer.route("PATCH /wms/lots/L1101", lambda r: (200, {"result": {"task_no": "PK-7"}}))
    connector = make_connector(
        tenant,
        "wms",
        "http",
        method="PATCH",
        url=peer.url + "/wms/lots/{{ record.lot_no }}",
        body={"hold": True, "qty": "{{ record.qty }}", "by": "{{ flow.initiator }}"},
        extract={"pick_task": "$.result.task_no"},
        token="wms-token-secret",
    )
    assert connector["config"]["token"] == "********"
    delivery = _call(
        tenant, connector, {"record": {"lot_no": "L1101", "qty": 3}, "flow": {"initiator": "张三"}}
    )
    assert attempt_delivery(app, delivery["id"]) == ("succeeded", None)
    assert json.loads(peer.requests[0]["body"]) == {"hold": True, "qty": 3, "by": "张三"}
    assert peer.requests[0]["headers"]["Authorization"] == "Bearer wms-token-secret"
    log = tenant.admin.get("/api/v1/deliveries").json["items"][0]
    assert json.loads(log["response_excerpt"]) == {"status": 200, "fields": {"pick_task": "PK-7"}}


@pytest.mark.parametrize(
    "body",
    ["{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ record.__class__ }}", "{{ config }}"],
)
def test_templates_reaching_for_python_are_dead_letters(tenant, app, peer, allow_loopback, body):
    peer.route("POST /x", lambda r: (200, {}))
    connector = make_connector(tenant, "wms", "http", url=peer.url + "/x", body={"v": body})
    delivery = _call(tenant, connector, {"record": {"lot_no": "L1"}})
    assert attempt_delivery(app, delivery["id"]) == ("dead", None)
    dead = tenant.admin.get("/api/v1/deliveries?status=dead").json["items"][0]
    assert dead["attempts"] == 1 and "body.v" in dead["last_error"]
    assert peer.requests == []


def test_template_syntax_is_checked_when_saved(tenant):
    response = tenant.admin.post(
        "/api/v1/connectors",
        json={
            "key": "bad",
            "type": "http",
            "label": {"zh": "x"},
            "config": {"url": "https://wms.example.com/{{ record.lot", "headers": {"X": "{% x %}"}},
        },
    )
    assert response.status_code == 422
    assert "url" in response.json["errors"]


def test_the_new_types_are_listed_with_their_settings(tenant):
    types = {t["name"]: t for t in tenant.admin.get("/api/v1/connector-types").json["items"]}
    assert {"email", "sms_gateway", "aliyun_sms", "http"} <= set(types)
    assert types["email"]["secret_fields"] == ["password"]
    assert types["aliyun_sms"]["secret_fields"] == ["access_key_secret"]
    assert "push_record" in types["kingdee"]["actions"]
    assert "flow.finished" in json.dumps(types["webhook"]["config_schema"])
