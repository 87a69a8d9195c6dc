"""The delivery log filters by time queued and by text, and counts what it found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.test_connectors import _webhook


def _queue(tenant, connector_id: int, key: str) -> dict:
    response = tenant.admin.post(
        f"/api/v1/connectors/{connector_id}/deliveries",
        json={"action": "post_event", "inputs": {"event": "e", "data": {}}, "idempotency_key": key},
    )
    assert response.status_code in (201, 202), response.json
    return response.json


def test_the_log_filters_by_text_and_time_and_gives_a_total(tenant):
    connector = _webhook(tenant, "https://hooks.example.com/in")
    first = _queue(tenant, connector["id"], "order-100%")
    _queue(tenant, connector["id"], "Order-200")
    _queue(tenant, connector["id"], "stock-1")

    log = tenant.admin.get("/api/v1/deliveries?q=order").json
    assert log["total"] == 2 and {d["idempotency_key"] for d in log["items"]} == {
        "order-100%",
        "Order-200",
    }
    # LIKE wildcards in the text are taken literally.
    assert [d["id"] for d in tenant.admin.get("/api/v1/deliveries?q=100%25").json["items"]] == [
        first["id"]
    ]
    assert tenant.admin.get("/api/v1/deliveries?q=o_d").json["total"] == 0

    now = datetime.now(UTC)
    since = (now - timedelta(minutes=5)).isoformat()
    until = (now - timedelta(minutes=1)).isoformat()
    recent = tenant.admin.get("/api/v1/deliveries", query_string={"created_from": since}).json
    assert recent["total"] == 3
    older = tenant.admin.get("/api/v1/deliveries", query_string={"created_to": until}).json
    assert older["total"] == 0 and older["items"] == []


def test_bad_filters_are_refused_with_their_names(tenant):
    bad = tenant.admin.get("/api/v1/deliveries?created_from=yesterday&q=" + "x" * 201)
    assert bad.status_code == 422
    assert {"query.created_from", "query.q"} <= set(bad.json["errors"])
