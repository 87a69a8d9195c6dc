"""Connectors through the API: secrets kept secret, test connection, deliveries with retries,
dead letters and replay, and private addresses refused unless allowlisted."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.connectors_fixtures import attempt_delivery, make_connector


def test_secrets_are_encrypted_and_never_returned(tenant, app_db):
    created = make_connector(tenant, url="https://hooks.example.com/in")
    assert created["config"] == {"url": "https://hooks.example.com/in", "secret": "********"}
    listed = tenant.admin.get("/api/v1/connectors").json["items"][0]
    assert "0123456789abcdef" not in str(listed)
    with app_db() as session:
        stored = session.execute(
            db.text("SELECT config, secrets FROM connectors WHERE id = :id"), {"id": created["id"]}
        ).first()
    assert "0123456789abcdef" not in str(stored.config) + stored.secrets
    # Saving the masked value keeps the stored secret.
    kept = tenant.admin.patch(
        f"/api/v1/connectors/{created['id']}",
        json={"config": {"url": "https://hooks.example.com/v2", "secret": "********"}},
    )
    assert kept.status_code == 200 and kept.json["config"]["secret"] == "********"
    audit = tenant.admin.get("/api/v1/audit?object_type=connectors").json["items"]
    assert audit and all("secrets" not in e["diff"] for e in audit)


def test_bad_settings_are_refused_with_paths(tenant):
    response = tenant.admin.post(
        "/api/v1/connectors",
        json={
            "key": "x1",
            "type": "webhook",
            "label": {"zh": "x"},
            "config": {"url": "https://a.b"},
        },
    )
    assert response.status_code == 422 and response.json["errors"]
    unknown = tenant.admin.post(
        "/api/v1/connectors",
        json={"key": "x2", "type": "carrier_pigeon", "label": {"zh": "x"}, "config": {}},
    )
    assert unknown.status_code == 422 and "type" in unknown.json["errors"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "http://10.0.0.8/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost/x",
    ],
)
def test_private_addresses_are_refused_with_a_clear_message(tenant, url):
    connector = make_connector(tenant, url=url)
    result = tenant.admin.post(f"/api/v1/connectors/{connector['id']}/test")
    assert result.status_code == 422
    assert result.json["code"] == "address_blocked" and "allowlist" in result.json["message"]
    [logged] = tenant.admin.get("/api/v1/deliveries").json["items"]
    assert (logged["test"], logged["status"]) == (True, "dead")
    assert "allowlist" in logged["last_error"]


def test_a_connection_test_is_kept_in_the_delivery_log_as_a_test(tenant, peer, allow_loopback):
    replies = iter([(200, {"ok": True}), (400, {"error": "bad"})])
    peer.route("POST /in", lambda r: next(replies))
    connector = make_connector(tenant, url=f"{peer.url}/in")
    url = f"/api/v1/connectors/{connector['id']}/test"

    works = tenant.admin.post(url).json
    assert works["ok"] is True
    fails = tenant.admin.post(url).json
    assert fails["ok"] is False and fails["status_code"] == 400
    log = tenant.admin.get(f"/api/v1/deliveries?connector_id={connector['id']}").json["items"]
    assert [d["id"] for d in log] == [fails["delivery_id"], works["delivery_id"]]
    assert [(d["test"], d["action"], d["status"]) for d in log] == [
        (True, "test_connection", "dead"),
        (True, "test_connection", "succeeded"),
    ]
    assert log[0]["response_status"] == 400 and "400" in log[0]["last_error"]
    assert (log[0]["attempts"], log[0]["max_attempts"]) == (1, 1)  # a test is never retried
    assert log[1]["latency_ms"] is not None
    assert len(peer.requests) == 2
    # a failed test is tried again by testing again, not by replaying it
    replay = tenant.admin.post(f"/api/v1/deliveries/{fails['delivery_id']}/replay")
    assert replay.status_code == 409 and replay.json["code"] == "test_delivery"
    sent = tenant.admin.post(
        f"/api/v1/connectors/{connector['id']}/deliveries",
        json={"action": "post_event", "inputs": {"event": "e", "data": {}}, "idempotency_key": "k"},
    ).json
    assert sent["test"] is False


def test_server_errors_are_retried_until_delivered(tenant, app, peer, allow_loopback):
    replies = iter([(500, {}), (500, {}), (200, {"ok": True})])
    peer.route("POST /in", lambda r: next(replies))
    connector = make_connector(tenant, url=f"{peer.url}/in")
    queued = tenant.admin.post(
        f"/api/v1/connectors/{connector['id']}/deliveries",
        json={
            "action": "post_event",
            "inputs": {"event": "flow.finished", "data": {"id": 1}},
            "idempotency_key": "flow-1-finished",
        },
    )
    assert queued.status_code == 202
    delivery_id = queued.json["id"]
    assert attempt_delivery(app, delivery_id)[0] == "retrying"
    assert attempt_delivery(app, delivery_id)[0] == "retrying"
    assert attempt_delivery(app, delivery_id) == ("succeeded", None)
    assert attempt_delivery(app, delivery_id) == ("succeeded", None)  # nothing more is sent
    log = tenant.admin.get("/api/v1/deliveries").json["items"][0]
    assert (log["status"], log["attempts"]) == ("succeeded", 3)
    assert len(peer.requests) == 3
    ids = {r["headers"]["X-GreenShelf-Delivery"] for r in peer.requests}
    assert ids == {"flow-1-finished"}  # the receiver can drop repeats
    again = tenant.admin.post(
        f"/api/v1/connectors/{connector['id']}/deliveries",
        json={
            "action": "post_event",
            "inputs": {"event": "flow.finished", "data": {"id": 1}},
            "idempotency_key": "flow-1-finished",
        },
    )
    assert again.json["id"] == delivery_id  # same key, same delivery


def test_client_errors_are_dead_letters_and_replay_delivers_once(tenant, app, peer, allow_loopback):
    replies = iter([(400, {"error": "bad"}), (200, {"ok": True})])
    peer.route("POST /in", lambda r: next(replies))
    connector = make_connector(tenant, url=f"{peer.url}/in")
    delivery = tenant.admin.post(
        f"/api/v1/connectors/{connector['id']}/deliveries",
        json={
            "action": "post_event",
            "inputs": {"event": "e", "data": {}},
            "idempotency_key": "k-1",
        },
    ).json
    assert attempt_delivery(app, delivery["id"]) == ("dead", None)
    dead = tenant.admin.get("/api/v1/deliveries?status=dead").json["items"]
    assert dead[0]["response_status"] == 400 and "400" in dead[0]["last_error"]
    replayed = tenant.admin.post(f"/api/v1/deliveries/{delivery['id']}/replay")
    assert replayed.status_code == 200 and replayed.json["status"] == "pending"
    assert attempt_delivery(app, delivery["id"]) == ("succeeded", None)
    assert tenant.admin.post(f"/api/v1/deliveries/{delivery['id']}/replay").status_code == 409
    assert len(peer.requests) == 2


def test_connectors_need_the_permission(tenant):
    clerk = tenant.user_client("clerk")
    assert clerk.get("/api/v1/connectors").status_code == 403
    assert clerk.get("/api/v1/connector-types").status_code == 200


def test_connector_types_list_settings_in_the_order_they_are_declared(tenant):
    types = {t["name"]: t for t in tenant.admin.get("/api/v1/connector-types").json["items"]}
    fields = list(types["sms_gateway"]["config_schema"]["properties"])
    assert fields[:3] == ["method", "url", "headers"]  # as declared, not alphabetical
    assert fields.index("api_key") == len(fields) - 1
