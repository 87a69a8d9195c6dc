"""Inbound webhooks: another system posts signed JSON to an app's endpoint; records are
created or updated by key, a flow can start, repeats and forgeries change nothing."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from connectors.webhook import sign
from tests.connectors_fixtures import LOT, app_id_of, call_hook, make_hook
from tests.flows_fixtures import disposal_form, instance, make_flow
from tests.forms_fixtures import make_form, records_url
from tests.rules_fixtures import BATCH


def test_a_signed_call_creates_then_updates_the_record(tenant):
    form = make_form(tenant, fields=BATCH)
    hook = make_hook(tenant, form)
    assert hook["secret"].startswith("whsec_")
    assert hook["url"].endswith(f"/api/v1/inbound/{tenant.slug}/expiry/erp_lots")
    created = call_hook(tenant, hook, LOT, delivery="d-1")
    assert created.status_code == 200, created.json
    assert created.json["outcome"] == "created"
    record = tenant.admin.get(f"{records_url(form)}/{created.json['record_id']}").json
    assert (record["batch_no"], record["qty"], record["sku"], record["warehouse"]) == (
        "L20261101",
        120,
        "MILK-1L",
        "east",
    )
    moved = call_hook(tenant, hook, {**LOT, "lot": {"no": "L20261101", "qty": 80}}, delivery="d-2")
    assert moved.json == {"outcome": "updated", "record_id": record["id"]}
    same = call_hook(tenant, hook, {**LOT, "lot": {"no": "L20261101", "qty": 80}}, delivery="d-3")
    assert same.json["outcome"] == "unchanged"
    assert tenant.admin.get(records_url(form)).json["total"] == 1
    assert tenant.admin.get(f"{records_url(form)}/{record['id']}").json["qty"] == 80


def test_a_repeated_delivery_id_is_answered_from_the_first_call(tenant):
    form = make_form(tenant, fields=BATCH)
    hook = make_hook(tenant, form)
    first = call_hook(tenant, hook, LOT, delivery="same-id")
    again = call_hook(tenant, hook, {**LOT, "lot": {"no": "OTHER", "qty": 1}}, delivery="same-id")
    assert again.status_code == 200 and again.json == first.json
    assert again.headers["X-GreenShelf-Replay"] == "true"
    assert "X-GreenShelf-Replay" not in first.headers
    assert tenant.admin.get(records_url(form)).json["total"] == 1


@pytest.mark.parametrize(
    "change, code",
    [
        ({"secret": "whsec_not_the_secret"}, "bad_signature"),
        ({"timestamp": int(time.time()) - 3600}, "bad_signature"),
        ({"timestamp": int(time.time()) + 3600}, "bad_signature"),
    ],
)
def test_forged_or_stale_calls_are_refused(tenant, change, code):
    form = make_form(tenant, fields=BATCH)
    hook = make_hook(tenant, form)
    refused = call_hook(tenant, hook, LOT, **change)
    assert refused.status_code == 401 and refused.json["code"] == code
    assert tenant.admin.get(records_url(form)).json["total"] == 0


def test_a_tampered_body_is_refused(tenant):
    form = make_form(tenant, fields=BATCH)
    hook = make_hook(tenant, form)
    body = json.dumps(LOT).encode()
    timestamp = int(time.time())
    response = tenant.client().post(
        hook["url"].replace("http://localhost", ""),
        data=body.replace(b"120", b"999"),
        headers={
            "X-GreenShelf-Timestamp": str(timestamp),
            "X-GreenShelf-Signature": sign(hook["secret"], timestamp, body),
            "X-GreenShelf-Delivery": "t-1",
        },
    )
    assert response.status_code == 401


def test_bad_calls_get_clear_answers(tenant):
    form = make_form(tenant, fields=BATCH)
    hook = make_hook(tenant, form)
    no_id = call_hook(tenant, hook, LOT, delivery=" ")
    assert no_id.status_code == 422 and "X-GreenShelf-Delivery" in no_id.json["errors"]
    not_json = call_hook(tenant, hook, b"<xml/>", delivery="x-1")
    assert not_json.status_code == 400
    replayed = call_hook(tenant, hook, b"<xml/>", delivery="x-1", **{"Accept-Language": "zh-CN"})
    assert replayed.status_code == 400 and replayed.json["message"] == "请求体不是 JSON 对象。"
    invalid = call_hook(
        tenant, hook, {"lot": {"no": "L1", "qty": "many"}, "wh": "E"}, delivery="x-2"
    )
    assert invalid.status_code == 422 and "qty" in invalid.json["errors"]
    assert (
        call_hook(tenant, hook, {"lot": {"no": "L1", "qty": 1}}, delivery="x-2").status_code == 422
    )
    unknown = tenant.client().post(f"/api/v1/inbound/{tenant.slug}/expiry/nope", data=b"{}")
    assert unknown.status_code == 404
    zh = call_hook(tenant, hook, LOT, secret="whsec_wrong", **{"Accept-Language": "zh-CN"})
    assert zh.status_code == 401 and "签名" in zh.json["message"]


def test_rotating_the_secret_stops_the_old_one(tenant):
    form = make_form(tenant, fields=BATCH)
    hook = make_hook(tenant, form)
    listed = tenant.admin.get(f"/api/v1/apps/{app_id_of(tenant)}/inbound-hooks").json["items"]
    assert "secret" not in listed[0] and hook["secret"] not in json.dumps(listed)
    assert hook["secret"] not in tenant.admin.get(f"/api/v1/inbound-hooks/{hook['id']}").text
    rotated = tenant.admin.post(f"/api/v1/inbound-hooks/{hook['id']}/rotate-secret").json
    assert rotated["secret"] != hook["secret"]
    assert call_hook(tenant, hook, LOT).status_code == 401
    assert call_hook(tenant, rotated, LOT).status_code == 200


def test_the_curl_example_signs_like_the_server_checks(tenant):
    form = make_form(tenant, fields=BATCH)
    hook = make_hook(tenant, form)
    script = hook["curl"].rsplit("\ncurl ", 1)[0] + '\necho "$TS"; echo "$SIG"; echo "$BODY"'
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    timestamp, signature, body = out.stdout.strip().split("\n", 2)
    assert json.loads(body) == {"lot": {"no": "<batch_no>", "qty": "<qty>"}, "sku": "<sku>"}
    assert signature == sign(hook["secret"], int(timestamp), body.encode())


def test_a_hook_can_start_a_flow_on_the_record(tenant):
    form = disposal_form(tenant)
    tree = {
        "type": "initiator",
        "child": {"type": "approver", "id": "ok", "name": "确认", "assignee": "initiator"},
    }
    flow = make_flow(tenant, form, tree=tree)
    hook = make_hook(
        tenant,
        form,
        action="start_flow",
        flow_id=flow["id"],
        mapping={"batch_no": "$.batch", "qty": "$.qty", "level": "$.level"},
    )
    started = call_hook(tenant, hook, {"batch": "B-9", "qty": 30, "level": "red"})
    assert started.status_code == 200, started.json
    assert instance(tenant.admin, started.json["instance_id"])["status"] == "running"
    again = call_hook(tenant, hook, {"batch": "B-9", "qty": 30, "level": "red"})
    assert again.status_code == 409 and again.json["code"] == "flow_running"


def test_hook_settings_are_checked(tenant):
    form = make_form(tenant, fields=BATCH)
    app_id = app_id_of(tenant)
    bad = tenant.admin.post(
        f"/api/v1/apps/{app_id}/inbound-hooks",
        json={
            "key": "bad",
            "label": {"zh": "x"},
            "action": "upsert_record",
            "form_id": form["id"],
            "mapping": {"nope": "$.a", "qty": "$.q[", "sku": {"template": "{{ x"}},
            "key_fields": ["batch_no"],
        },
    )
    assert bad.status_code == 422
    assert {"mapping.nope", "mapping.qty", "mapping.sku", "key_fields.0"} <= set(bad.json["errors"])
    no_flow = tenant.admin.post(
        f"/api/v1/apps/{app_id}/inbound-hooks",
        json={
            "key": "f",
            "label": {"zh": "x"},
            "action": "start_flow",
            "form_id": form["id"],
            "mapping": {"batch_no": "$.b"},
        },
    )
    assert no_flow.status_code == 422 and "flow_id" in no_flow.json["errors"]
    clerk = tenant.user_client("clerk")
    assert clerk.get(f"/api/v1/apps/{app_id}/inbound-hooks").status_code == 403
