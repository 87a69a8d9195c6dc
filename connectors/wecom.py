"""WeCom (企业微信): the group robot webhook and application messages with an access token."""

from __future__ import annotations

from urllib.parse import urlencode

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
class WeComApp(ConnectorType):
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
    actions = {
        "send_text": {
            "type": "object",
            "required": ["user_ids", "content"],
            "additionalProperties": False,
            "properties": {
                "user_ids": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                "content": {"type": "string"},
            },
        }
    }

    @property
    def base(self) -> str:
        return self.config.get("base_url", "https://qyapi.weixin.qq.com").rstrip("/")

    def token(self, fresh: bool = False) -> str:
        key = f"wecom:{self.config['corp_id']}:{self.config['agent_id']}"
        cached = None if fresh else self.context.tokens.get(key)
        if cached:
            return cached
        query = urlencode(
            {"corpid": self.config["corp_id"], "corpsecret": self.config["corp_secret"]}
        )
        body = check_errcode(
            self.context.transport.request("GET", f"{self.base}/cgi-bin/gettoken?{query}").json(),
            "WeCom gettoken",
        )
        self.context.tokens.put(key, body["access_token"], float(body.get("expires_in", 7200)))
        return body["access_token"]

    def do_send_text(self, user_ids: list[str], content: str) -> dict:
        payload = {
            "touser": "|".join(user_ids),
            "msgtype": "text",
            "agentid": self.config["agent_id"],
            "text": {"content": content},
        }
        for fresh in (False, True):
            url = f"{self.base}/cgi-bin/message/send?access_token={self.token(fresh)}"
            body = self.context.transport.post_json(url, payload).json()
            if body.get("errcode") not in TOKEN_ERRORS:
                break
        return check_errcode(body, "WeCom message")

    def test_connection(self) -> dict:
        self.token(fresh=True)
        return {"ok": True}
