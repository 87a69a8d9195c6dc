"""The email connector against a real SMTP server: STARTTLS or implicit TLS, login,
HTML with a plain-text part, attachments; certificate and address checks."""

from __future__ import annotations

import pytest

from connectors import connector
from connectors.base import Context
from connectors.errors import BlockedAddress, ConnectorError
from connectors.guard import Allowlist
from connectors.transport import Transport
from tests.unit.connectors.mailserver import MailServer

PDF = b"%PDF-1.4\n% disposal report\n" + bytes(range(256))


def _context(files=None):
    return Context(
        transport=Transport(allowlist=Allowlist(("127.0.0.1/32",)), timeout=5),
        attachments=(lambda i: files[i]) if files else None,
    )


def _config(server: MailServer, **extra) -> dict:
    return {
        "host": "127.0.0.1",
        "port": server.port,
        "security": server.security,
        "username": "gs",
        "password": "mail-pass",
        "sender": "greenshelf@example.com",
        "sender_name": "绿色货架",
        "ca_certificate": server.cert_pem,
        **extra,
    }


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_mail_with_html_text_and_attachment_arrives_over_tls(security):
    files = {7: ("处置报告.pdf", "application/pdf", PDF)}
    with MailServer(security, {"gs": "mail-pass"}) as server:
        mail = connector("email", _config(server), _context(files))
        mail.test_connection()
        result = mail.run(
            "send_mail",
            {
                "to": ["ops@example.com"],
                "cc": ["boss@example.com"],
                "subject": "临期批次 B1 待处置",
                "text": "批次 B1 剩 3 天",
                "html": "<p>批次 <b>B1</b> 剩 3 天</p>",
                "attachments": [7],
            },
        )
    [got] = server.received
    assert got["tls"] and got["login"] == "gs"
    assert got["to"] == ["ops@example.com", "boss@example.com"]
    message = got["message"]
    assert message["Subject"] == "临期批次 B1 待处置"
    assert message["Message-ID"] == result["message_id"]
    assert "绿色货架" in str(message["From"])
    assert message.get_body(("plain",)).get_content().strip() == "批次 B1 剩 3 天"
    assert "<b>B1</b>" in message.get_body(("html",)).get_content()
    [attached] = list(message.iter_attachments())
    assert attached.get_filename() == "处置报告.pdf"
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_content() == PDF


def test_wrong_password_is_a_permanent_failure():
    with MailServer("starttls", {"gs": "mail-pass"}) as server:
        mail = connector("email", _config(server, password="nope"), _context())
        with pytest.raises(ConnectorError) as refused:
            mail.run("send_mail", {"to": ["a@example.com"], "subject": "x", "text": "x"})
    assert refused.value.retryable is False and "535" in refused.value.message
    assert server.received == []


def test_an_untrusted_certificate_is_refused():
    with MailServer("starttls", {"gs": "mail-pass"}) as server:
        mail = connector("email", _config(server, ca_certificate=""), _context())
        with pytest.raises(ConnectorError, match="certificate") as refused:
            mail.run("send_mail", {"to": ["a@example.com"], "subject": "x", "text": "x"})
    assert refused.value.retryable is False and server.received == []


def test_a_down_server_is_retried_later():
    with MailServer("none") as server:
        port = server.port
    mail = connector(
        "email",
        {"host": "127.0.0.1", "port": port, "security": "none", "sender": "a@example.com"},
        _context(),
    )
    with pytest.raises(ConnectorError) as down:
        mail.run("send_mail", {"to": ["a@example.com"], "subject": "x", "text": "x"})
    assert down.value.retryable is True


def test_private_mail_servers_need_the_allowlist():
    mail = connector(
        "email",
        {"host": "127.0.0.1", "port": 25, "security": "none", "sender": "a@example.com"},
        Context(transport=Transport(allowlist=Allowlist())),
    )
    with pytest.raises(BlockedAddress) as blocked:
        mail.run("send_mail", {"to": ["a@example.com"], "subject": "x", "text": "x"})
    assert "host" in blocked.value.errors
