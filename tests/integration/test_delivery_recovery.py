"""A worker killed in the middle of a delivery loses nothing: after a restart it completes."""

from __future__ import annotations

import signal
import time

import pytest

from tests.unit.connectors.peers import Peer

pytestmark = pytest.mark.worker


def test_delivery_survives_a_killed_worker(tenant, app, start_worker):
    peer = Peer()
    calls = []

    def slow_then_fast(request):
        calls.append(time.monotonic())
        if len(calls) == 1:
            time.sleep(8)  # the worker is killed while it waits for this answer
        return 200, {"ok": True}

    peer.route("POST /in", slow_then_fast)
    settings = {"GS_OUTBOUND_ALLOWLIST": "127.0.0.1/32", "GS_DELIVERY_LEASE_SECONDS": "2"}
    connector = tenant.admin.post(
        "/api/v1/connectors",
        json={
            "key": "slow",
            "type": "webhook",
            "label": {"zh": "慢"},
            "config": {"url": f"{peer.url}/in", "secret": "whsec-0123456789abcdef"},
        },
    ).json
    worker = start_worker(**settings)
    delivery = tenant.admin.post(
        f"/api/v1/connectors/{connector['id']}/deliveries",
        json={
            "action": "post_event",
            "inputs": {"event": "e", "data": {}},
            "idempotency_key": "survive-1",
        },
    ).json
    deadline = time.monotonic() + 60
    while not calls and time.monotonic() < deadline:
        time.sleep(0.1)
    assert calls, "the worker never called"
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)

    start_worker(**settings)
    with app.app_context():
        from app.tasks.connectors import delivery_sweeper

        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            time.sleep(2.5)  # past the lease, the sweeper hands the delivery to a worker
            delivery_sweeper.delay()
            rows = tenant.admin.get("/api/v1/deliveries").json["items"]
            status = rows[0]["status"]
            if status == "succeeded":
                break
    peer.close()
    assert status == "succeeded"
    final = tenant.admin.get("/api/v1/deliveries").json["items"][0]
    assert final["id"] == delivery["id"] and final["attempts"] == 2
