"""Outbound and inbound integrations (DingTalk, WeCom, email, SMS, REST, webhooks, ERPs).

A pure library: it must never import Flask or the ``app`` package. Importing it registers
every connector type in ``connectors.base.REGISTRY``.
"""

from connectors import (  # noqa: F401 - registration
    dingtalk,
    email,
    kingdee,
    rest,
    sms,
    webhook,
    wecom,
    yonyou,
)
from connectors.base import REGISTRY, Context, TokenCache, connector

__all__ = ["REGISTRY", "Context", "TokenCache", "connector"]
