"""Connectors with a real Celery worker: an event is posted once its change commits, and
a requested ERP pull runs in the background and logs its result."""

from __future__ import annotations

import time

import pytest

from tests.connectors_fixtures import LOT_FIELDS, kingdee_lot, make_kingdee, make_sync
from tests.forms_fixtures import make_form, records_url
from tests.unit.connectors.erp_peers import KingdeePeer
from tests.unit.connectors.peers import Peer

pytestmark = pytest.mark.worker
SETTINGS = {"GS_OUTBOUND_ALLOWLIST": "127.0.0.1/32"}


def _wait(check, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    return check()


def test_record_event_is_delivered_by_the_worker(tenant, start_worker):
    peer = Peer()
    peer.route("POST /events", lambda r: (200, {"ok": True}))
    form = make_form(tenant)
    tenant.admin.post(
        "/api/v1/connectors",
        json={
            "key": "events",
            "type": "webhook",
            "label": {"zh": "事件"},
            "config": {
                "url": f"{peer.url}/events",
                "secret": "whsec-0123456789abcdef",
                "events": ["record.created"],
            },
        },
    )
    start_worker(**SETTINGS)
    tenant.admin.post(records_url(form), json={"batch_no": "B-LIVE", "qty": 3})
    try:
        assert _wait(lambda: peer.requests), "the worker never posted the event"
        log = _wait(
            lambda: [
                d
                for d in tenant.admin.get("/api/v1/deliveries").json["items"]
                if d["status"] == "succeeded"
            ]
        )
        assert log and log[0]["action"] == "post_event"
        assert peer.requests[0]["headers"]["X-GreenShelf-Event"] == "record.created"
    finally:
        peer.close()


def test_a_requested_pull_runs_in_the_worker(tenant, start_worker):
    peer = Peer()
    kd = KingdeePeer(peer)
    kd.lots = [kingdee_lot("L1", "CK001", 10.0), kingdee_lot("L2", "CK001", 20.0)]
    form = make_form(tenant, fields=LOT_FIELDS)
    lots = make_sync(tenant, make_kingdee(tenant, kd), form)
    start_worker(**SETTINGS)
    try:
        assert tenant.admin.post(f"/api/v1/connector-syncs/{lots['id']}/runs").status_code == 202
        runs_url = f"/api/v1/connector-syncs/{lots['id']}/runs"
        done = _wait(
            lambda: [
                r
                for r in tenant.admin.get(runs_url).json["items"]
                if r["status"] not in ("running",)
            ]
        )
        assert done and done[0]["status"] == "succeeded" and done[0]["created"] == 2
        assert tenant.admin.get(records_url(form)).json["total"] == 2
    finally:
        peer.close()
