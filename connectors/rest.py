"""Any HTTP/REST API: method, URL, headers and body from templates, fields from the reply.

The connector's settings hold the request as templates (see ``connectors.templates``)
rendered with the action's ``variables`` (the record, the flow, the event) and
``secrets.token``; ``extract`` maps output names to JSONPath queries on the JSON reply,
so a flow can write what the other system answered into the record's fields.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from connectors import paths, templates
from connectors.base import ConnectorType, register
from connectors.errors import ConnectorError
from connectors.guard import check_url
from connectors.transport import Response

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}


@register
class Rest(ConnectorType):
    name = "http"
    label = {"zh": "HTTP / REST 接口", "en": "HTTP / REST API"}
    config_schema = {
        "type": "object",
        "required": ["url"],
        "additionalProperties": False,
        "properties": {
            "method": {"enum": METHODS, "default": "POST"},
            "url": {"type": "string", "minLength": 8, "maxLength": 2000},
            "headers": STRING_MAP,
            "body": {"type": ["string", "object", "array", "null"]},
            "body_format": {"enum": ["json", "form", "text"], "default": "json"},
            "extract": STRING_MAP,
            "token": {"type": "string"},
        },
    }
    secret_fields = ("token",)
    actions = {
        "call": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"variables": {"type": "object"}},
        }
    }

    @classmethod
    def validate_config(cls, config: Any) -> dict:
        config = super().validate_config(config)
        for name in ("url", "headers", "body"):
            templates.check(config.get(name), name)
        paths.check_mapping(config.get("extract"), "extract")
        return config

    def _variables(self, variables: dict | None) -> dict:
        return {**(variables or {}), "secrets": {"token": self.config.get("token", "")}}

    def _body(self, variables: dict) -> tuple[bytes | None, str | None]:
        template = self.config.get("body")
        if template is None:
            return None, None
        fmt = self.config.get("body_format", "json")
        if fmt == "text" or (isinstance(template, str) and fmt != "form"):
            text = templates.render_text(template, variables, "body")
            kind = "application/json" if fmt == "json" else "text/plain"
            return text.encode(), f"{kind}; charset=utf-8"
        value = templates.render_value(template, variables, "body")
        if fmt == "form":
            if not isinstance(value, dict):
                raise ConnectorError("A form body must be an object.", retryable=False)
            encoded = urlencode({k: "" if v is None else v for k, v in value.items()})
            return encoded.encode(), "application/x-www-form-urlencoded"
        return json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8"

    def send(self, values: dict) -> Response:
        """Render the request with ``values`` (variables and secrets) and send it."""
        url = templates.render_text(self.config["url"], values, "url")
        headers = {
            name: templates.render_text(value, values, f"headers.{name}")
            for name, value in (self.config.get("headers") or {}).items()
        }
        if self.config.get("token") and not any(h.lower() == "authorization" for h in headers):
            headers["Authorization"] = f"Bearer {self.config['token']}"
        body, content_type = self._body(values)
        if content_type and not any(h.lower() == "content-type" for h in headers):
            headers["Content-Type"] = content_type
        method = self.config.get("method", "POST")
        return self.context.transport.request(method, url, body=body, headers=headers)

    def do_call(self, variables: dict | None = None) -> dict:
        response = self.send(self._variables(variables))
        result: dict = {"status": response.status}
        if self.config.get("extract"):
            result["fields"] = paths.extract(response.json(), self.config["extract"])
        return result

    def test_connection(self) -> dict:
        """A GET is tried for real; other methods could change data, so only the address
        (the URL up to its first template) is checked."""
        if self.config.get("method", "POST") == "GET" and "{{" not in self.config["url"]:
            return self.do_call({})
        check_url(self.config["url"].split("{{")[0], self.context.transport.allowlist)
        return {"ok": True, "checked": "address"}
