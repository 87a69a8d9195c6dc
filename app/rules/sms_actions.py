"""Text messages of a rule's notify action: one per recipient with a phone, through an SMS
connector (an HTTP gateway, or Aliyun with an approved template), queued in the delivery
log with the scan and sent by the worker with retries."""

from __future__ import annotations

import hashlib
import re

from app.auth.scope import Scope
from app.connectors import deliveries
from app.models import Connector, User
from app.models.base import utcnow

SMS_CONNECTORS = ("sms_gateway", "aliyun_sms")
PHONE = re.compile(r"\+?[0-9]{5,20}")
MAX_CHARS = 300
#: Aliyun caps a template variable at 35 characters
ALIYUN_VALUE_CHARS = 35


def channel(action: dict) -> str:
    """The outbox channel of an action's texts: one per SMS connector."""
    return f"sms:{action.get('sms_connector', '')}"


def message(batch: list[tuple[str, str]], count: int) -> str:
    """A short text: the item itself, or how many there are and the first of them."""
    title, text = batch[0]
    if count == 1:
        return f"{title}：{text.splitlines()[0] if text else ''}"[:MAX_CHARS]
    return f"临期品预警汇总 {count} 项：{title} 等，请在待办中处理。"[:MAX_CHARS]


def send(
    scope: Scope,
    key: str,
    template: str | None,
    user_id: int,
    batch: list[tuple[str, str]],
    count: int,
) -> int | None:
    """Queue the text for one recipient; the delivery's id, or None when there is no phone
    to send to or the connector is gone or switched off."""
    user = scope.session.get(User, user_id)
    phone = re.sub(r"[\s-]", "", (user.phone or "") if user else "")
    if not PHONE.fullmatch(phone):
        return None
    connector = scope.session.scalar(scope.select(Connector).where(Connector.key == key))
    if connector is None or not connector.enabled or connector.type not in SMS_CONNECTORS:
        return None
    text = message(batch, count)
    if connector.type == "aliyun_sms":
        params = {"title": batch[0][0][:ALIYUN_VALUE_CHARS], "count": str(count)}
        inputs = {"phones": [phone], "template_code": template or "", "params": params}
    else:
        inputs = {"phones": [phone], "message": text}
    stamp = f"{user_id}|{key}|{text}|{utcnow().isoformat()}"
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:32]
    delivery = deliveries.enqueue(
        scope, connector.id, "send_sms", inputs, f"rule-sms-{digest}", commit=False
    )
    return delivery.id
