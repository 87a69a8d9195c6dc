"""A timer survives a killed worker: after a restart the sweeper fires it, exactly once."""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import pytest

from tests.flows_fixtures import Org, todo
from tests.flows_services_fixtures import add, approver, flow_with, history, request_form

pytestmark = pytest.mark.worker


def _poll(what, deadline: float = 90):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = what()
        if value:
            return value
        time.sleep(0.5)
    return what()


def test_a_timeout_fires_once_after_a_killed_worker_is_replaced(tenant, app, start_worker):
    from app.extensions import db
    from app.flows import timers
    from app.models.base import utcnow
    from app.tasks.flows import flow_sweeper

    settings = {"GS_FLOW_LEASE_SECONDS": "3"}
    org = Org(tenant)
    form = request_form(tenant)
    flow = flow_with(tenant, form, approver(timeout={"after": "PT3S", "action": "auto_approve"}))
    clerk = org.client("clerk")
    request = add(clerk, form, sku="K-1", qty=2)
    started = clerk.post(f"/api/v1/flows/{flow['id']}/instances", json={"record_id": request["id"]})
    assert started.status_code == 201, started.json
    instance_id = started.json["id"]
    [timer] = tenant.admin.get(f"/api/v1/flow-timers?instance_id={instance_id}").json["items"]

    worker = start_worker(**settings)
    # The worker is killed holding the timer's lease, as if it died while firing it.
    with app.app_context():
        due = utcnow() + timedelta(seconds=3)
        while utcnow() < due:
            time.sleep(0.2)
        assert timers.claim(db.session, timer["id"], utcnow(), 3)
        db.session.remove()
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    with app.app_context():
        flow_sweeper.delay()  # queued while no worker runs: nothing is due to it yet (leased)
    assert clerk.get(f"/api/v1/flow-instances/{instance_id}").json["status"] == "running"

    start_worker(**settings)

    def approved():
        with app.app_context():
            flow_sweeper.delay()
        return clerk.get(f"/api/v1/flow-instances/{instance_id}").json["status"] == "approved"

    assert _poll(approved), "the timer never fired after the restart"
    time.sleep(2)  # later sweeps, queued meanwhile, find nothing more to fire
    actions = [e["action"] for e in history(clerk, instance_id)]
    assert actions.count("auto_approve") == 1
    [fired] = tenant.admin.get(f"/api/v1/flow-timers?instance_id={instance_id}").json["items"]
    assert (fired["status"], fired["fired"]) == ("fired", 1)
    assert todo(org.client("head")) == []
