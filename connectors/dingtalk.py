"""DingTalk: the group robot (signed webhook) and work notifications sent by an app.

Robot signing as DingTalk documents it: sign = urlencode(base64(HmacSHA256(secret,
"{timestamp}\\n{secret}"))) with the timestamp in milliseconds, both added to the URL.
Work notifications use an app's access token (gettoken with appkey/appsecret), cached
until shortly before it expires and fetched again when DingTalk says it is invalid.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote_plus

from connectors.app_messages import AppMessenger
from connectors.base import ConnectorType, check_errcode, register

TEXT = {
    "type": "object",
    "required": ["content"],
    "additionalProperties": False,
    "properties": {
        "content": {"type": "string", "minLength": 1, "maxLength": 20000},
        "at_mobiles": {"type": "array", "items": {"type": "string"}},
        "at_all": {"type": "boolean"},
    },
}
MARKDOWN = {
    "type": "object",
    "required": ["title", "text"],
    "additionalProperties": False,
    "properties": {"title": {"type": "string"}, "text": {"type": "string"}},
}
CARD = {
    "type": "object",
    "required": ["title", "text", "button", "url"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string"},
        "text": {"type": "string"},
        "button": {"type": "string"},
        "url": {"type": "string"},
    },
}
TOKEN_ERRORS = frozenset({40014, 42001, 40001})


def robot_signature(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return quote_plus(base64.b64encode(digest.digest()))


@register
class DingTalkRobot(ConnectorType):
    name = "dingtalk_robot"
    label = {"zh": "钉钉群机器人", "en": "DingTalk group robot"}
    config_schema = {
        "type": "object",
        "required": ["webhook_url"],
        "additionalProperties": False,
        "properties": {
            "webhook_url": {"type": "string", "minLength": 8},
            "secret": {"type": "string"},
        },
    }
    secret_fields = ("secret",)
    actions = {"send_text": TEXT, "send_markdown": MARKDOWN, "send_action_card": CARD}

    def _url(self) -> str:
        url = self.config["webhook_url"]
        secret = self.config.get("secret")
        if not secret:
            return url
        timestamp = int(self.context.clock() * 1000)
        joiner = "&" if "?" in url else "?"
        return f"{url}{joiner}timestamp={timestamp}&sign={robot_signature(secret, timestamp)}"

    def _send(self, payload: dict) -> dict:
        body = self.context.transport.post_json(self._url(), payload).json()
        return check_errcode(body, "DingTalk")

    def do_send_text(self, content: str, at_mobiles=None, at_all: bool = False) -> dict:
        return self._send(
            {
                "msgtype": "text",
                "text": {"content": content},
                "at": {"atMobiles": at_mobiles or [], "isAtAll": at_all},
            }
        )

    def do_send_markdown(self, title: str, text: str) -> dict:
        return self._send({"msgtype": "markdown", "markdown": {"title": title, "text": text}})

    def do_send_action_card(self, title: str, text: str, button: str, url: str) -> dict:
        return self._send(
            {
                "msgtype": "actionCard",
                "actionCard": {
                    "title": title,
                    "text": text,
                    "singleTitle": button,
                    "singleURL": url,
                },
            }
        )

    def test_connection(self) -> dict:
        return self.do_send_text("GreenShelf 连接测试 / connection test")


@register
class DingTalkApp(AppMessenger):
    name = "dingtalk_app"
    label = {"zh": "钉钉工作通知", "en": "DingTalk work notification"}
    config_schema = {
        "type": "object",
        "required": ["app_key", "app_secret", "agent_id"],
        "additionalProperties": False,
        "properties": {
            "app_key": {"type": "string"},
            "app_secret": {"type": "string"},
            "agent_id": {"type": ["string", "integer"]},
            "base_url": {"type": "string"},
        },
    }
    secret_fields = ("app_secret",)
    platform = "DingTalk"
    default_base = "https://oapi.dingtalk.com"
    token_path = "/gettoken"
    token_query = {"appkey": "app_key", "appsecret": "app_secret"}
    token_owner = ("app_key",)
    token_errors = TOKEN_ERRORS

    def do_send_text(self, user_ids: list[str], content: str) -> dict:
        payload = {
            "agent_id": self.config["agent_id"],
            "userid_list": ",".join(user_ids),
            "msg": {"msgtype": "text", "text": {"content": content}},
        }
        path = "/topapi/message/corpconversation/asyncsend_v2"
        return self.send_with_token(path, payload, "DingTalk work notification")
