"""The delivery log filters by time queued and by text, and counts what it found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.connectors_fixtures import make_connector, queue_event


def test_the_log_filters_by_text_and_time_and_gives_a_total(tenant):
    connector = make_connector(tenant)
    first = queue_event(tenant, connector, "order-100%")
    queue_event(tenant, connector, "Order-200")
    queue_event(tenant, connector, "stock-1")

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
