"""The built-in "system email" connector: how rules and flows send their emails.

Each tenant has one email connector under the reserved key ``system_email``, made the first
time the tenant sends a system email (older outboxes were moved onto it by a migration). Its
emails are deliveries like any other outbound call: retries with backoff, dead letters,
replay, the delivery log. Its row holds no settings: every attempt sends through the
installation's mail server (GS_SMTP_*, see ``settings.instance``), so a changed setting
applies to the next attempt. Users cannot take its key, change its settings or delete it;
switching it off stops the emails. This module queues emails inside the caller's
transaction and never sends or commits.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.auth.scope import Scope
from app.connectors import deliveries
from app.connectors.settings import SYSTEM_EMAIL
from app.models import Connector

LABEL = {"zh": "系统邮件", "en": "System email"}
#: longest subject and text kept from a message
SUBJECT_CHARS, TEXT_CHARS = 300, 20000


def _find(scope: Scope) -> Connector | None:
    return scope.session.scalar(scope.select(Connector).where(Connector.key == SYSTEM_EMAIL))


def system_email(scope: Scope) -> Connector:
    """The tenant's system email connector, made now if it is the tenant's first email."""
    connector = _find(scope)
    if connector is not None:
        return connector
    try:
        with scope.session.begin_nested():
            scope.add(Connector(key=SYSTEM_EMAIL, type="email", label=dict(LABEL), config={}))
    except IntegrityError:  # another transaction made it first and committed
        pass
    return _find(scope)


def queue_email(
    scope: Scope, connector: Connector, to: str, subject: str, text: str, key: str
) -> int | None:
    """Queue one plain-text email to ``to`` through ``connector`` (``system_email``), once
    per idempotency ``key`` (also its Message-ID); the delivery's id, or None while the
    connector is switched off."""
    if not connector.enabled:
        return None
    inputs = {
        "to": [to],
        "subject": subject[:SUBJECT_CHARS] or "GreenShelf",
        "text": text[:TEXT_CHARS],
        "message_id": f"<{key}@greenshelf>",
    }
    delivery = deliveries.enqueue(scope, connector.id, "send_mail", inputs, key, commit=False)
    return delivery.id
