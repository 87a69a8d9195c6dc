"""Webhooks: events posted out with an HMAC signature, and the check for inbound ones.

Signature: ``X-GreenShelf-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>``
with ``X-GreenShelf-Timestamp`` (seconds) and ``X-GreenShelf-Delivery`` (an id the
receiver uses to ignore repeats). Inbound calls are refused outside a time window.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid

from connectors.base import ConnectorType, register
from connectors.errors import ConnectorError

WINDOW_SECONDS = 300
EVENTS = (
    "record.created",
    "record.updated",
    "record.deleted",
    "record.restored",
    "record.bulk_imported",
    "alert.level_changed",
    "flow.finished",
    "todo.completed",
)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    now: float,
    window: int = WINDOW_SECONDS,
) -> None:
    """Raise unless the signature matches and the timestamp is recent."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        raise ConnectorError("Missing or bad X-GreenShelf-Timestamp.", retryable=False) from None
    if abs(now - sent) > window:
        raise ConnectorError("The request is too old or from the future.", retryable=False)
    if not hmac.compare_digest(sign(secret, sent, body), signature or ""):
        raise ConnectorError("The signature does not match.", retryable=False)


@register
class WebhookOut(ConnectorType):
    name = "webhook"
    label = {"zh": "Webhook 推送", "en": "Outgoing webhook"}
    config_schema = {
        "type": "object",
        "required": ["url", "secret"],
        "additionalProperties": False,
        "properties": {
            "url": {"type": "string", "minLength": 8},
            "secret": {"type": "string", "minLength": 16},
            "events": {
                "type": "array",
                "uniqueItems": True,
                "items": {"enum": list(EVENTS)},
                "description": "platform events posted here as they happen",
            },
            "forms": {
                "type": "array",
                "items": {"type": "string"},
                "description": "only events of these forms (all when empty)",
            },
        },
    }
    secret_fields = ("secret",)
    actions = {
        "post_event": {
            "type": "object",
            "required": ["event", "data"],
            "additionalProperties": False,
            "properties": {
                "event": {"type": "string"},
                "data": {"type": "object"},
                "delivery_id": {"type": "string"},
            },
        }
    }

    def do_post_event(self, event: str, data: dict, delivery_id: str | None = None) -> dict:
        delivery_id = delivery_id or uuid.uuid4().hex
        timestamp = int(self.context.clock())
        body = json.dumps(
            {"id": delivery_id, "event": event, "data": data}, ensure_ascii=False, default=str
        ).encode()
        response = self.context.transport.request(
            "POST",
            self.config["url"],
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-GreenShelf-Event": event,
                "X-GreenShelf-Delivery": delivery_id,
                "X-GreenShelf-Timestamp": str(timestamp),
                "X-GreenShelf-Signature": sign(self.config["secret"], timestamp, body),
            },
        )
        return {"status": response.status, "delivery_id": delivery_id}

    def test_connection(self) -> dict:
        return self.do_post_event("ping", {"message": "GreenShelf connection test"})
