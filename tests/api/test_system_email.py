"""Rule and flow emails are deliveries of the tenant's built-in system email connector: sent
through the installation's mail server (GS_SMTP_*) as it is set at send time, retried with
backoff, dead-lettered and replayed like any outbound call; the connector stays built in."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest

from tests.connectors_fixtures import attempt_delivery, make_connector, system_emails
from tests.rules_fixtures import add_batch, setup_rule

EMAIL_ACTIONS = {
    "red": [
        {
            "type": "notify",
            "recipients": {"role": "mgr"},
            "channels": ["email", "in_app"],
            "title": "临期 {{title}}",
            "template": "{{title}} 剩 {{days_left}} 天",
        }
    ]
}


def _manager(tenant):
    """A user with an email address whom the rule's actions write to; signed in."""
    role = tenant.admin.post(
        "/api/v1/roles", json={"name": "m", "code": "mgr", "data_scope": "all"}
    ).json  # told of the records they can open: all of them
    return tenant.user_client("manager", email="manager@example.com", role_ids=[role["id"]])


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


def _system_connector(tenant) -> dict:
    connectors = tenant.admin.get("/api/v1/connectors").json["items"]
    [connector] = [c for c in connectors if c["key"] == "system_email"]
    return connector


def test_a_rule_email_is_a_delivery_of_the_system_email_connector(tenant, app, system_mail):
    inbox, _ = system_mail
    _manager(tenant)
    form, _ = setup_rule(tenant, {"actions": EMAIL_ACTIONS})
    add_batch(tenant, form, "MILK-7", 7)

    [email] = system_emails(tenant)
    assert email["status"] == "pending" and email["connector_label"]["en"] == "System email"
    assert email["inputs"]["subject"] == "临期 MILK-7"
    connector = _system_connector(tenant)
    assert (connector["type"], connector["label"]["zh"]) == ("email", "系统邮件")
    assert connector["config"] == {}  # the mail server is the installation's, read when sent

    assert attempt_delivery(app, email["id"]) == ("succeeded", None)
    assert attempt_delivery(app, email["id"]) == ("succeeded", None)  # sent once
    [message] = inbox.messages
    assert message.rcpt_tos == ["manager@example.com"]
    assert message.mail_from == app.config["GS_SMTP_FROM"]
    parsed = message_from_bytes(message.content, policy=policy.default)
    assert parsed["Subject"] == "临期 MILK-7"
    assert "MILK-7 剩 7 天" in parsed.get_content()
    logged = tenant.admin.get(f"/api/v1/deliveries?connector_id={connector['id']}").json
    assert [(d["status"], d["attempts"]) for d in logged["items"]] == [("succeeded", 1)]


def test_a_digest_is_one_email_per_recipient(tenant, app, system_mail):
    inbox, _ = system_mail
    _manager(tenant)
    form, rule = setup_rule(tenant, {"actions": EMAIL_ACTIONS, "digest": True}, publish=False)
    for i in range(3):
        add_batch(tenant, form, f"R{i}", 5 + i)
    tenant.admin.post(f"/api/v1/rules/{rule['id']}/publish")
    assert tenant.admin.post(f"/api/v1/rules/{rule['id']}/run").json["emails"] == 1
    assert tenant.admin.post(f"/api/v1/rules/{rule['id']}/run").json["emails"] == 0

    [email] = system_emails(tenant)
    assert email["inputs"]["subject"] == "临期品预警汇总 3 项"
    assert all(f"R{i}" in email["inputs"]["text"] for i in range(3))
    assert attempt_delivery(app, email["id"]) == ("succeeded", None)
    assert len(inbox.messages) == 1


def test_a_failing_mail_server_is_retried_with_backoff_then_a_dead_letter_is_replayed(
    tenant, app, system_mail
):
    inbox, port = system_mail
    _manager(tenant)
    form, _ = setup_rule(tenant, {"actions": EMAIL_ACTIONS})
    app.config["GS_SMTP_PORT"] = _closed_port()  # the mail server is down
    add_batch(tenant, form, "MILK-2", 2)
    [email] = system_emails(tenant)

    tries = [attempt_delivery(app, email["id"]) for _ in range(5)]
    assert tries == [
        ("retrying", 5),
        ("retrying", 20),
        ("retrying", 80),
        ("retrying", 320),
        ("dead", None),
    ]
    [dead] = system_emails(tenant)
    assert (dead["status"], dead["attempts"]) == ("dead", 5)
    assert "Could not send through 127.0.0.1" in dead["last_error"]
    assert inbox.messages == []

    # the administrator fixes GS_SMTP_PORT: the next attempt uses it, nothing is copied
    app.config["GS_SMTP_PORT"] = port
    replayed = tenant.admin.post(f"/api/v1/deliveries/{email['id']}/replay")
    assert replayed.status_code == 200, replayed.json
    assert attempt_delivery(app, email["id"]) == ("succeeded", None)
    [message] = inbox.messages
    assert message.rcpt_tos == ["manager@example.com"]
    assert [(d["status"], d["attempts"]) for d in system_emails(tenant)] == [("succeeded", 1)]


def test_the_system_email_connector_cannot_be_deleted_or_reconfigured(tenant, system_mail):
    manager = _manager(tenant)
    form, _ = setup_rule(tenant, {"actions": EMAIL_ACTIONS})
    add_batch(tenant, form, "MILK-5", 5)
    connector = _system_connector(tenant)
    url = f"/api/v1/connectors/{connector['id']}"

    refused = tenant.admin.delete(url)
    assert refused.status_code == 409 and refused.json["code"] == "system_connector"
    assert "cannot be deleted" in refused.json["message"]
    in_chinese = tenant.admin.delete(url, headers={"Accept-Language": "zh-CN"})
    assert "不能删除" in in_chinese.json["message"]
    changed = tenant.admin.patch(url, json={"config": {"host": "smtp.example.com"}})
    assert changed.status_code == 409 and changed.json["code"] == "system_connector"
    assert _system_connector(tenant)["config"] == {}

    # switched off, it stops the emails; the in-app messages still go
    assert tenant.admin.patch(url, json={"enabled": False}).status_code == 200
    add_batch(tenant, form, "MILK-4", 4)
    assert [e["inputs"]["subject"] for e in system_emails(tenant)] == ["临期 MILK-5"]
    notes = manager.get("/api/v1/notifications").json["items"]
    assert sorted(n["title"] for n in notes) == ["临期 MILK-4", "临期 MILK-5"]


@pytest.mark.parametrize("emailed_before", [True, False], ids=["made", "not yet made"])
def test_no_one_may_take_the_system_email_key(tenant, system_mail, emailed_before):
    if emailed_before:
        _manager(tenant)
        form, _ = setup_rule(tenant, {"actions": EMAIL_ACTIONS})
        add_batch(tenant, form, "MILK-3", 3)
    body = {
        "key": "system_email",
        "type": "email",
        "label": {"zh": "我的邮件"},
        "config": {"host": "smtp.example.com", "port": 587, "sender": "me@example.com"},
    }
    taken = tenant.admin.post("/api/v1/connectors", json=body)
    assert taken.status_code == 409 and taken.json["code"] == "key_reserved"
    assert taken.json["errors"] == {"key": ["Reserved."]}
    assert make_connector(tenant, "system_email_2", "email", **body["config"])["key"]
