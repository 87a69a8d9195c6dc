"""A rule's email goes out through a real Celery worker to a real SMTP server."""

from __future__ import annotations

import time

import pytest

from tests.connectors_fixtures import system_emails
from tests.rules_fixtures import add_batch, setup_rule

pytestmark = pytest.mark.worker


def _to(inbox, address: str) -> list:
    return [m for m in inbox.messages if m.rcpt_tos == [address]]


def test_worker_delivers_rule_email_from_the_delivery_log(tenant, app, smtp_server, start_worker):
    inbox, port = smtp_server
    tenant.add_user("boss", email="outbox.boss@example.com")
    actions = {"red": [{"type": "notify", "recipients": {"field": "owner"}, "channels": ["email"]}]}
    form, _ = setup_rule(tenant, {"actions": actions})
    boss = tenant.admin.get("/api/v1/users?q=boss").json["items"][0]
    add_batch(tenant, form, "YOGURT-3", 3, owner=boss["id"])

    # the worker sends through the mail server its own settings name, at send time
    start_worker(GS_SMTP_HOST="127.0.0.1", GS_SMTP_PORT=str(port))
    with app.app_context():
        from app.tasks.connectors import delivery_sweeper

        delivery_sweeper.delay()  # the sweeper picks up whatever is queued, mail included
    deadline = time.monotonic() + 60
    while not _to(inbox, "outbox.boss@example.com") and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # a second copy would follow within the same sweep
    assert len(_to(inbox, "outbox.boss@example.com")) == 1
    while system_emails(tenant)[0]["status"] != "succeeded" and time.monotonic() < deadline:
        time.sleep(0.2)
    [email] = system_emails(tenant)
    assert (email["status"], email["attempts"]) == ("succeeded", 1)
