"""Email through the platform: an SMTP connector (password sealed) sends a mail with a file
from the attachment store, delivered by the delivery log to a real SMTP server."""

from __future__ import annotations

from tests.connectors_fixtures import attempt_delivery, make_connector
from tests.flows_toolset_fixtures import send_file
from tests.forms_fixtures import make_form
from tests.unit.connectors.mailserver import MailServer

PDF = b"%PDF-1.4\n% near-expiry disposal report\n" + bytes(range(256)) * 4
FIELDS = [
    {"key": "batch_no", "type": "text", "label": "批次号", "required": True},
    {"key": "report", "type": "attachment", "label": "处置报告"},
]


def _mail_connector(tenant, server: MailServer) -> dict:
    return make_connector(
        tenant,
        "mail",
        "email",
        host="127.0.0.1",
        port=server.port,
        security="starttls",
        username="gs",
        password="mail-pass-9",
        sender="greenshelf@example.com",
        ca_certificate=server.cert_pem,
    )


def _attach(tenant, form: dict, name: str):
    """Upload the PDF report to ``form``'s report field; the raw response."""
    return send_file(tenant.admin, PDF, name, "application/pdf", form_id=form["id"], field="report")


def test_mail_with_a_stored_attachment_is_delivered(tenant, app, allow_loopback):
    form = make_form(tenant, fields=FIELDS)
    upload = _attach(tenant, form, "处置报告.pdf")
    assert upload.status_code == 201, upload.json
    with MailServer("starttls", {"gs": "mail-pass-9"}) as server:
        connector = _mail_connector(tenant, server)
        assert connector["config"]["password"] == "********"
        tested = tenant.admin.post(f"/api/v1/connectors/{connector['id']}/test")
        assert tested.json["ok"] is True, tested.json
        queued = tenant.admin.post(
            f"/api/v1/connectors/{connector['id']}/deliveries",
            json={
                "action": "send_mail",
                "inputs": {
                    "to": ["warehouse@example.com"],
                    "subject": "批次 B1 处置报告",
                    "text": "见附件",
                    "html": "<p>见<b>附件</b></p>",
                    "attachments": [upload.json["id"]],
                },
                "idempotency_key": "mail-b1",
            },
        )
        assert queued.status_code == 202, queued.json
        assert attempt_delivery(app, queued.json["id"]) == ("succeeded", None)
        assert attempt_delivery(app, queued.json["id"]) == ("succeeded", None)  # sent once
    [mail] = server.received
    assert mail["tls"] and mail["login"] == "gs" and mail["to"] == ["warehouse@example.com"]
    [attached] = list(mail["message"].iter_attachments())
    assert attached.get_filename() == "处置报告.pdf" and attached.get_content() == PDF
    log = tenant.admin.get(f"/api/v1/deliveries?connector_id={connector['id']}").json["items"]
    assert (log[0]["status"], log[0]["attempts"]) == ("succeeded", 1)


def test_another_tenants_file_cannot_be_attached(tenant, make_tenant, app, allow_loopback):
    other = make_tenant()
    form = make_form(other, fields=FIELDS)
    theirs = _attach(other, form, "x.pdf").json
    with MailServer("starttls", {"gs": "mail-pass-9"}) as server:
        connector = _mail_connector(tenant, server)
        queued = tenant.admin.post(
            f"/api/v1/connectors/{connector['id']}/deliveries",
            json={
                "action": "send_mail",
                "inputs": {"to": ["a@example.com"], "subject": "x", "attachments": [theirs["id"]]},
                "idempotency_key": "steal",
            },
        ).json
        assert attempt_delivery(app, queued["id"]) == ("dead", None)
    assert server.received == []
    dead = tenant.admin.get("/api/v1/deliveries?status=dead").json["items"][0]
    assert f"File {theirs['id']} cannot be read" in dead["last_error"]


def test_bad_mail_settings_are_refused_with_paths(tenant):
    response = tenant.admin.post(
        "/api/v1/connectors",
        json={
            "key": "mail",
            "type": "email",
            "label": {"zh": "x"},
            "config": {"host": "smtp.example.com", "port": 70000, "security": "tls"},
        },
    )
    assert response.status_code == 422
    assert {"port", "security", "_body"} <= set(response.json["errors"])
