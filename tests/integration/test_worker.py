"""A real Celery worker process answers tasks sent by the web process.

Runs through the embedded broker (SQLite file) by default and through Redis when
REDIS_URL is set, against whichever database the suite uses.
"""

from __future__ import annotations

import os
import time

import pytest

pytestmark = pytest.mark.worker


@pytest.fixture
def worker(start_worker):
    return start_worker()


def _poll(fetch, done, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while True:
        value = fetch()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_worker_answers_a_ping_sent_by_the_web_process(tenant, worker, app):
    check = tenant.admin.post("/api/v1/system/worker-checks")
    assert check.status_code == 202, check.json
    assert check.json["done"] is False

    answered = _poll(
        lambda: tenant.admin.get(f"/api/v1/system/worker-checks/{check.json['id']}").json,
        lambda body: body["done"] or worker.poll() is not None,
    )
    if worker.poll() is not None:
        pytest.fail(worker.stdout.read().decode())
    assert answered["done"] is True, "no worker answered within the deadline"
    assert answered["worker"]

    health = tenant.client().get("/api/v1/health").json
    assert health["worker"]["ok"] is True
    assert health["broker"]["kind"] == ("redis" if os.environ.get("REDIS_URL") else "embedded")
    assert health["status"] == "ok"
