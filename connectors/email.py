"""Email over SMTP: plain, STARTTLS or implicit TLS, with login, HTML and attachments.

``SmtpServer`` and ``send_message`` are the one way GreenShelf talks SMTP. The connector
type checks the server's address like any outbound call (private addresses need the
allowlist), connects to the very address it checked, and verifies the certificate
against the server's name (an internal CA can be added in the settings). Attachment
contents come from ``Context.attachments`` (the platform's file store); the library
never reads files itself.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from connectors.base import ConnectorType, register
from connectors.errors import ConnectorError
from connectors.guard import check_host

MAX_ATTACHMENTS_BYTES = 20 * 1024 * 1024
#: SMTP reply codes worth another try later (RFC 5321: 4yz is a transient failure)
TRANSIENT = range(400, 500)


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    username: str | None = None
    password: str | None = None
    sender: str = "greenshelf@localhost"
    timeout: float = 15.0
    #: connect here instead of resolving ``host`` again (the address the guard checked)
    address: str | None = None
    #: extra trusted certificate authorities (PEM), e.g. a company's internal CA
    ca_pem: str | None = None


def _tls(server: SmtpServer) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if server.ca_pem:
        context.load_verify_locations(cadata=server.ca_pem)
    return context


class _SMTP(smtplib.SMTP):
    _pinned: str | None = None

    def _get_socket(self, host, port, timeout):
        # connect to the checked address; TLS still checks the certificate for ``host``
        return socket.create_connection((self._pinned or host, port), timeout)


class _SMTPSSL(smtplib.SMTP_SSL):
    _pinned: str | None = None

    def _get_socket(self, host, port, timeout):
        raw = socket.create_connection((self._pinned or host, port), timeout)
        return self.context.wrap_socket(raw, server_hostname=self._host)


@contextmanager
def session(server: SmtpServer) -> Iterator[smtplib.SMTP]:
    """A connected, secured and logged-in SMTP client."""
    if server.security == "ssl":
        client = _SMTPSSL(timeout=server.timeout, context=_tls(server))
    else:
        client = _SMTP(timeout=server.timeout)
    client._pinned = server.address
    client._host = server.host  # the name TLS verifies (connect() does not set it)
    with client:
        client.connect(server.host, server.port)
        if server.security == "starttls":
            client.starttls(context=_tls(server))
        if server.username:
            client.login(server.username, server.password or "")
        yield client


def send_message(server: SmtpServer, message: EmailMessage) -> None:
    """Send one message; SMTP and network errors propagate for the caller to classify."""
    with session(server) as client:
        client.send_message(message)


def compose(
    sender: str,
    to: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    cc: list[str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
    message_id: str | None = None,
) -> EmailMessage:
    """A multipart message: plain text, an HTML alternative, then the attachments."""
    message = EmailMessage()
    message["From"], message["To"] = sender, ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="greenshelf")
    message.set_content(text or "")
    if html:
        message.add_alternative(html, subtype="html")
    for name, content_type, content in attachments:
        maintype, _, subtype = (content_type or "application/octet-stream").partition("/")
        message.add_attachment(
            content, maintype=maintype, subtype=subtype or "octet-stream", filename=name
        )
    return message


ADDRESSES = {"type": "array", "items": {"type": "string", "format": "email"}, "maxItems": 100}


@register
class Email(ConnectorType):
    name = "email"
    label = {"zh": "邮件 (SMTP)", "en": "Email (SMTP)"}
    config_schema = {
        "type": "object",
        "required": ["host", "port", "sender"],
        "additionalProperties": False,
        "properties": {
            "host": {"type": "string", "minLength": 1},
            "port": {"type": "integer", "minimum": 1, "maximum": 65535},
            "security": {"enum": ["none", "starttls", "ssl"], "default": "starttls"},
            "username": {"type": "string"},
            "password": {"type": "string"},
            "sender": {"type": "string", "minLength": 3},
            "sender_name": {"type": "string"},
            "ca_certificate": {"type": "string"},
        },
    }
    secret_fields = ("password",)
    actions = {
        "send_mail": {
            "type": "object",
            "required": ["to", "subject"],
            "additionalProperties": False,
            "properties": {
                "to": {**ADDRESSES, "minItems": 1},
                "cc": ADDRESSES,
                "subject": {"type": "string", "minLength": 1, "maxLength": 998},
                "text": {"type": "string"},
                "html": {"type": "string"},
                "attachments": {
                    "type": "array",
                    "maxItems": 20,
                    "items": {"type": "integer", "minimum": 1},
                    "description": "ids of uploaded files",
                },
                "message_id": {"type": "string"},
            },
        }
    }

    def server(self) -> SmtpServer:
        config = self.config
        address = check_host(
            config["host"], config["port"], self.context.transport.allowlist, "host"
        )
        return SmtpServer(
            host=config["host"],
            port=config["port"],
            security=config.get("security", "starttls"),
            username=config.get("username") or None,
            password=config.get("password"),
            sender=config["sender"],
            timeout=self.context.transport.timeout,
            address=address,
            ca_pem=config.get("ca_certificate") or None,
        )

    def _files(self, ids: list[int]) -> list[tuple[str, str, bytes]]:
        if ids and self.context.attachments is None:
            raise ConnectorError("Attachments cannot be read here.", retryable=False)
        files = [self.context.attachments(i) for i in ids]
        if sum(len(f[2]) for f in files) > MAX_ATTACHMENTS_BYTES:
            raise ConnectorError("The attachments are larger than 20 MB.", retryable=False)
        return files

    def do_send_mail(
        self,
        to: list[str],
        subject: str,
        text: str = "",
        html: str | None = None,
        cc: list[str] | None = None,
        attachments: list[int] = (),
        message_id: str | None = None,
    ) -> dict:
        server = self.server()
        sender = self.config["sender"]
        if self.config.get("sender_name"):
            sender = formataddr((self.config["sender_name"], sender))
        message = compose(
            sender, to, subject, text, html, cc, self._files(list(attachments)), message_id
        )
        try:
            send_message(server, message)
        except smtplib.SMTPResponseException as exc:
            raise ConnectorError(
                f"The mail server refused: {exc.smtp_code} {exc.smtp_error!r}",
                retryable=exc.smtp_code in TRANSIENT,
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise ConnectorError(
                f"The mail server refused the recipients: {sorted(exc.recipients)}",
                retryable=False,
            ) from None
        except ssl.SSLCertVerificationError as exc:
            raise ConnectorError(f"The mail server's certificate: {exc}", retryable=False) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise ConnectorError(
                f"Could not send through {server.host}: {exc}", retryable=True
            ) from None
        return {"message_id": message["Message-ID"], "recipients": len(to) + len(cc or [])}

    def test_connection(self) -> dict:
        try:
            with session(self.server()) as client:
                client.noop()
        except (OSError, smtplib.SMTPException) as exc:
            raise ConnectorError(f"The mail server: {exc}", retryable=False) from None
        return {"ok": True}
