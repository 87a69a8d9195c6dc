"""A real SMTP server (aiosmtpd) on loopback with TLS (STARTTLS or implicit) and login,
and a certificate made for it, as an internal mail server with its own CA would be."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import tempfile
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def certificate() -> tuple[str, str]:
    """(certificate PEM, key PEM) for 127.0.0.1 and localhost, self-signed."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "GreenShelf test mail")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem


class MailServer:
    """Received messages with what the session looked like (TLS? who logged in?)."""

    def __init__(self, security: str = "starttls", users: dict[str, str] | None = None):
        self.security = security
        self.users = users or {}
        self.received: list[dict] = []
        self.cert_pem, key_pem = certificate()
        folder = Path(tempfile.mkdtemp(prefix="gs-mail-"))
        (folder / "cert.pem").write_text(self.cert_pem)
        (folder / "key.pem").write_text(key_pem)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        options = {
            "authenticator": self._authenticate,
            "auth_required": bool(self.users),
        }
        if security == "starttls":
            options.update(tls_context=context, require_starttls=True, auth_require_tls=True)
        elif security == "ssl":
            options.update(ssl_context=context, auth_require_tls=False)
        else:
            options.update(auth_require_tls=False)
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and self.users.get(auth_data.login.decode()) == auth_data.password.decode()
        )
        login = auth_data.login.decode() if ok else None
        return AuthResult(success=ok, handled=False, auth_data=login)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        self.received.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "tls": server.transport.get_extra_info("ssl_object") is not None,
                "login": session.auth_data if session.authenticated else None,
                "message": message_from_bytes(envelope.original_content, policy=policy.default),
            }
        )
        return "250 OK"

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
