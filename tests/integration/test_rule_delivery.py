"""A rule's email goes out through a real Celery worker to a real SMTP server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from aiosmtpd.controller import Controller

from tests.rules_fixtures import add_batch, setup_rule

pytestmark = pytest.mark.worker


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_worker_delivers_rule_email_from_the_outbox(tenant, app, smtp):
    inbox, port = smtp
    tenant.add_user("boss", email="boss@example.com")
    actions = {"red": [{"type": "notify", "recipients": {"field": "owner"}, "channels": ["email"]}]}
    form, _ = setup_rule(tenant, {"actions": actions})
    boss = tenant.admin.get("/api/v1/users?q=boss").json["items"][0]
    add_batch(tenant, form, "YOGURT-3", 3, owner=boss["id"])

    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "GS_INSTANCE_PATH": app.config["INSTANCE_PATH"],
        "CELERY_BROKER_URL": app.config["CELERY_BROKER_URL"],
        "CELERY_RESULT_BACKEND": app.config["CELERY_RESULT_BACKEND"],
        "SECRET_KEY": "x",
        "GS_SMTP_HOST": "127.0.0.1",
        "GS_SMTP_PORT": str(port),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "app.tasks.worker",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
    )
    try:
        with app.app_context():
            from app.tasks.rules import email_outbox

            email_outbox.delay()
        deadline = time.monotonic() + 60
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert len(inbox.messages) == 1
    assert inbox.messages[0].rcpt_tos == ["boss@example.com"]
