"""Yonyou YonBIP OpenAPI: self-built app token, inventory query and document push.

Token: GET <base>/iuap-api-auth/open-auth/selfAppAuth/getAccessToken?appKey&timestamp&signature
with signature = urlencode(base64(HmacSHA256(appSecret, "appKey" + appKey + "timestamp" +
timestamp))); the token then goes in ``access_token`` on every call. Answers carry a
``code`` ("00000" or "200" for success) and ``data``. ``push_record`` builds a document
from a named mapping of templates over a record and pushes it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote, urlencode

from connectors import templates
from connectors.base import ConnectorType, register
from connectors.errors import ConnectorError

TOKEN_PATH = "/iuap-api-auth/open-auth/selfAppAuth/getAccessToken"
OK = {"00000", "200", 200}


def signature(app_key: str, app_secret: str, timestamp: int) -> str:
    text = f"appKey{app_key}timestamp{timestamp}"
    digest = hmac.new(app_secret.encode(), text.encode(), hashlib.sha256).digest()
    return quote(base64.b64encode(digest).decode(), safe="")


def _data(body: dict, what: str):
    if body.get("code") in OK:
        return body.get("data")
    raise ConnectorError(
        f"Yonyou {what} refused: {body.get('code')} {body.get('message', '')}",
        retryable=str(body.get("code")) in {"310036", "999"},
    )


@register
class Yonyou(ConnectorType):
    name = "yonyou"
    label = {"zh": "用友 YonBIP", "en": "Yonyou YonBIP"}
    config_schema = {
        "type": "object",
        "required": ["base_url", "app_key", "app_secret"],
        "additionalProperties": False,
        "properties": {
            "base_url": {"type": "string"},
            "app_key": {"type": "string"},
            "app_secret": {"type": "string"},
            "stock_path": {"type": "string"},
            "push_path": {"type": "string"},
            "documents": {
                "type": "object",
                "description": "named document mappings: the data as templates over the record",
                "additionalProperties": {
                    "type": "object",
                    "required": ["data"],
                    "additionalProperties": False,
                    "properties": {"path": {"type": "string"}, "data": {"type": "object"}},
                },
            },
        },
    }
    secret_fields = ("app_secret",)
    actions = {
        "query_stock": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"condition": {"type": "object"}},
        },
        "push_document": {
            "type": "object",
            "required": ["data"],
            "additionalProperties": False,
            "properties": {"data": {"type": "object"}, "path": {"type": "string"}},
        },
        "push_record": {
            "type": "object",
            "required": ["document", "variables"],
            "additionalProperties": False,
            "properties": {"document": {"type": "string"}, "variables": {"type": "object"}},
        },
    }

    @classmethod
    def validate_config(cls, config):
        config = super().validate_config(config)
        for name, document in (config.get("documents") or {}).items():
            templates.check(document["data"], f"documents.{name}.data")
        return config

    @property
    def base(self) -> str:
        return self.config["base_url"].rstrip("/")

    def token(self, fresh: bool = False) -> str:
        key = f"yonyou:{self.config['app_key']}"
        cached = None if fresh else self.context.tokens.get(key)
        if cached:
            return cached
        timestamp = int(self.context.clock() * 1000)
        sign = signature(self.config["app_key"], self.config["app_secret"], timestamp)
        query = f"appKey={self.config['app_key']}&timestamp={timestamp}&signature={sign}"
        data = _data(
            self.context.transport.request("GET", f"{self.base}{TOKEN_PATH}?{query}").json(),
            "token",
        )
        self.context.tokens.put(key, data["access_token"], float(data.get("expire", 7200)))
        return data["access_token"]

    def _post(self, path: str, payload: dict, what: str):
        url = f"{self.base}{path}?{urlencode({'access_token': self.token()})}"
        return _data(self.context.transport.post_json(url, payload).json(), what)

    def do_query_stock(self, condition: dict | None = None) -> dict:
        path = self.config.get("stock_path", "/yonbip/scm/stock/QueryCurrentStocksByCondition")
        return {"rows": self._post(path, condition or {}, "stock query") or []}

    def do_push_document(self, data: dict, path: str | None = None) -> dict:
        path = path or self.config.get("push_path", "/yonbip/scm/othoutrecord/single/save")
        return {"result": self._post(path, {"data": data}, "document push")}

    def do_push_record(self, document: str, variables: dict) -> dict:
        """Push a document built from a record through a named mapping."""
        mapping = (self.config.get("documents") or {}).get(document)
        if mapping is None:
            raise ConnectorError(f"No document mapping named '{document}'.", retryable=False)
        data = templates.render_value(mapping["data"], variables, f"documents.{document}.data")
        return self.do_push_document(data, mapping.get("path"))

    def test_connection(self) -> dict:
        self.token(fresh=True)
        return {"ok": True}
