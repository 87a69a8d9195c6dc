"""Sending one recorded email over SMTP (STARTTLS, SSL or plain), counting attempts.

The SMTP conversation itself is ``connectors.email``'s, shared with the email connector.
"""

from __future__ import annotations

import smtplib

from sqlalchemy.orm import Session

from app.models import EmailDelivery
from app.models.base import utcnow
from connectors.email import SmtpServer, compose, send_message

#: the installation's mail server for rule emails (GS_SMTP_*)
SmtpSettings = SmtpServer


def send_delivery(session: Session, delivery_id: int, smtp: SmtpSettings) -> str:
    """Send a pending delivery; 'sent', 'already sent' or raises for a retry."""
    delivery = session.get(EmailDelivery, delivery_id)
    if delivery is None or delivery.status == "sent":
        return "already sent"
    delivery.attempts += 1
    message = compose(
        smtp.sender,
        [delivery.to_address],
        delivery.subject,
        delivery.body,
        message_id=f"<delivery-{delivery.id}@greenshelf>",
    )
    try:
        send_message(smtp, message)
    except (OSError, smtplib.SMTPException) as exc:
        delivery.status, delivery.error = "retrying", str(exc)[:1000]
        session.commit()
        raise
    delivery.status, delivery.sent_at, delivery.error = "sent", utcnow(), None
    session.commit()
    return "sent"
