"""WeCom (企业微信): the group robot webhook and application messages with an access token."""

from __future__ import annotations

from connectors.app_messages import AppMessenger
from connectors.base import ConnectorType, check_errcode, register

TOKEN_ERRORS = frozenset({40014, 42001})


@register
class WeComRobot(ConnectorType):
    name = "wecom_robot"
    label = {"zh": "企业微信群机器人", "en": "WeCom group robot"}
    config_schema = {
        "type": "object",
        "required": ["webhook_url"],
        "additionalProperties": False,
        "properties": {"webhook_url": {"type": "string", "minLength": 8}},
    }
    secret_fields = ("webhook_url",)  # the key in the URL is the secret
    actions = {
        "send_text": {
            "type": "object",
            "required": ["content"],
            "additionalProperties": False,
            "properties": {
                "content": {"type": "string", "maxLength": 2048},
                "mentioned_mobiles": {"type": "array", "items": {"type": "string"}},
            },
        },
        "send_markdown": {
            "type": "object",
            "required": ["content"],
            "additionalProperties": False,
            "properties": {"content": {"type": "string", "maxLength": 4096}},
        },
        "send_template_card": {
            "type": "object",
            "required": ["title", "description", "url"],
            "additionalProperties": False,
            "properties": {
                "title": {"type": "string"},
                "description": {"type": "string"},
                "url": {"type": "string"},
            },
        },
    }

    def _send(self, payload: dict) -> dict:
        body = self.context.transport.post_json(self.config["webhook_url"], payload).json()
        return check_errcode(body, "WeCom robot")

    def do_send_text(self, content: str, mentioned_mobiles=None) -> dict:
        return self._send(
            {
                "msgtype": "text",
                "text": {"content": content, "mentioned_mobile_list": mentioned_mobiles or []},
            }
        )

    def do_send_markdown(self, content: str) -> dict:
        return self._send({"msgtype": "markdown", "markdown": {"content": content}})

    def do_send_template_card(self, title: str, description: str, url: str) -> dict:
        return self._send(
            {
                "msgtype": "template_card",
                "template_card": {
                    "card_type": "text_notice",
                    "main_title": {"title": title, "desc": description},
                    "card_action": {"type": 1, "url": url},
                },
            }
        )

    def test_connection(self) -> dict:
        return self.do_send_text("GreenShelf 连接测试 / connection test")


@register
class WeComApp(AppMessenger):
    name = "wecom_app"
    label = {"zh": "企业微信应用消息", "en": "WeCom application message"}
    config_schema = {
        "type": "object",
        "required": ["corp_id", "corp_secret", "agent_id"],
        "additionalProperties": False,
        "properties": {
            "corp_id": {"type": "string"},
            "corp_secret": {"type": "string"},
            "agent_id": {"type": ["string", "integer"]},
            "base_url": {"type": "string"},
        },
    }
    secret_fields = ("corp_secret",)
    platform = "WeCom"
    default_base = "https://qyapi.weixin.qq.com"
    token_path = "/cgi-bin/gettoken"
    token_query = {"corpid": "corp_id", "corpsecret": "corp_secret"}
    token_owner = ("corp_id", "agent_id")
    token_errors = TOKEN_ERRORS

    def do_send_text(self, user_ids: list[str], content: str) -> dict:
        payload = {
            "touser": "|".join(user_ids),
            "msgtype": "text",
            "agentid": self.config["agent_id"],
            "text": {"content": content},
        }
        return self.send_with_token("/cgi-bin/message/send", payload, "WeCom message")
