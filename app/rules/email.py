"""Sending one recorded email over SMTP (STARTTLS, SSL or plain), counting attempts."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy.orm import Session

from app.models import EmailDelivery
from app.models.base import utcnow


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    username: str | None = None
    password: str | None = None
    sender: str = "greenshelf@localhost"
    timeout: float = 15.0


def send_delivery(session: Session, delivery_id: int, smtp: SmtpSettings) -> str:
    """Send a pending delivery; 'sent', 'already sent' or raises for a retry."""
    delivery = session.get(EmailDelivery, delivery_id)
    if delivery is None or delivery.status == "sent":
        return "already sent"
    delivery.attempts += 1
    message = EmailMessage()
    message["From"], message["To"] = smtp.sender, delivery.to_address
    message["Subject"] = delivery.subject
    message["Message-ID"] = f"<delivery-{delivery.id}@greenshelf>"
    message.set_content(delivery.body)
    try:
        client_class = smtplib.SMTP_SSL if smtp.security == "ssl" else smtplib.SMTP
        with client_class(smtp.host, smtp.port, timeout=smtp.timeout) as client:
            if smtp.security == "starttls":
                client.starttls()
            if smtp.username:
                client.login(smtp.username, smtp.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        delivery.status, delivery.error = "retrying", str(exc)[:1000]
        session.commit()
        raise
    delivery.status, delivery.sent_at, delivery.error = "sent", utcnow(), None
    session.commit()
    return "sent"
