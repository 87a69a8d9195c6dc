"""SMS: any HTTP gateway described by templates, and Alibaba Cloud SMS (SendSms).

The generic gateway renders its URL, headers and body (see ``connectors.templates``) with
``phones``, ``message``, ``params`` and ``secrets.api_key``; ``success`` names a JSONPath
in the reply and the value that means "accepted", for gateways that answer 200 to
everything.

Alibaba Cloud signs RPC calls with Signature V1, as its SMS documentation describes:
the parameters (without ``Signature``) sorted by name, each name and value
percent-encoded per RFC 3986 (space as %20, ``~`` kept), joined as ``k=v&k=v``; the
string to sign is ``METHOD&%2F&`` + percentEncode(that query); the signature is
base64(HMAC-SHA1(AccessKeySecret + "&", string to sign)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from connectors import paths, templates
from connectors.base import ConnectorType, register
from connectors.errors import ConnectorError
from connectors.guard import check_url
from connectors.rest import STRING_MAP, Rest

#: the settings that describe the HTTP request (the rest are the gateway's own)
REQUEST = ("method", "url", "headers", "body", "body_format")
PHONES = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1000,
    "items": {"type": "string", "pattern": r"^\+?[0-9]{5,20}$"},
}


@register
class SmsGateway(ConnectorType):
    name = "sms_gateway"
    label = {"zh": "短信网关 (HTTP 模板)", "en": "SMS gateway (HTTP template)"}
    config_schema = {
        "type": "object",
        "required": ["url", "body"],
        "additionalProperties": False,
        "properties": {
            "method": {"enum": ["GET", "POST"], "default": "POST"},
            "url": {"type": "string", "minLength": 8, "maxLength": 2000},
            "headers": STRING_MAP,
            "body": {"type": ["string", "object", "null"]},
            "body_format": {"enum": ["json", "form", "text"], "default": "json"},
            "success": {
                "type": "object",
                "required": ["path", "equals"],
                "additionalProperties": False,
                "properties": {"path": {"type": "string"}, "equals": {}},
            },
            "api_key": {"type": "string"},
        },
    }
    secret_fields = ("api_key",)
    actions = {
        "send_sms": {
            "type": "object",
            "required": ["phones", "message"],
            "additionalProperties": False,
            "properties": {
                "phones": PHONES,
                "message": {"type": "string", "minLength": 1, "maxLength": 1000},
                "params": {"type": "object"},
            },
        }
    }

    @classmethod
    def validate_config(cls, config):
        config = super().validate_config(config)
        for name in ("url", "headers", "body"):
            templates.check(config.get(name), name)
        if config.get("success"):
            paths.check_mapping({"path": config["success"]["path"]}, "success")
        return config

    def do_send_sms(self, phones: list[str], message: str, params: dict | None = None) -> dict:
        request = Rest({k: self.config[k] for k in REQUEST if k in self.config}, self.context)
        response = request.send(
            {
                "phones": phones,
                "message": message,
                "params": params or {},
                "secrets": {"api_key": self.config.get("api_key", "")},
            }
        )
        expected = self.config.get("success")
        if expected:
            reply = response.json()
            if paths.find(reply, expected["path"]) != expected["equals"]:
                raise ConnectorError(
                    "The SMS gateway did not accept the message: "
                    + json.dumps(reply, ensure_ascii=False)[:300],
                    retryable=False,
                )
        return {"status": response.status, "phones": len(phones)}

    def test_connection(self) -> dict:
        url = self.config["url"].split("{{")[0]
        check_url(url, self.context.transport.allowlist)
        return {"ok": True, "checked": "address"}


def percent_encode(text: str) -> str:
    return quote(text, safe="-_.~")


def signature_v1(method: str, params: dict[str, str], access_key_secret: str) -> str:
    query = "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in sorted(params))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(query)}"
    digest = hmac.new(f"{access_key_secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


#: Alibaba Cloud answers these when it is busy or limiting: worth trying again later
RETRY_CODES = ("Throttling", "ServiceUnavailable", "InternalError", "isv.BUSINESS_LIMIT_CONTROL")


@register
class AliyunSms(ConnectorType):
    name = "aliyun_sms"
    label = {"zh": "阿里云短信", "en": "Alibaba Cloud SMS"}
    config_schema = {
        "type": "object",
        "required": ["access_key_id", "access_key_secret", "sign_name"],
        "additionalProperties": False,
        "properties": {
            "access_key_id": {"type": "string", "minLength": 1},
            "access_key_secret": {"type": "string", "minLength": 1},
            "sign_name": {"type": "string", "minLength": 1},
            "region_id": {"type": "string", "default": "cn-hangzhou"},
            "endpoint": {"type": "string", "default": "https://dysmsapi.aliyuncs.com/"},
        },
    }
    secret_fields = ("access_key_secret",)
    actions = {
        "send_sms": {
            "type": "object",
            "required": ["phones", "template_code"],
            "additionalProperties": False,
            "properties": {
                "phones": PHONES,
                "template_code": {"type": "string", "minLength": 1},
                "params": {"type": "object"},
                "out_id": {"type": "string"},
            },
        }
    }

    def _params(self, action: str, extra: dict[str, str]) -> dict[str, str]:
        now = datetime.fromtimestamp(self.context.clock(), UTC)
        return {
            "AccessKeyId": self.config["access_key_id"],
            "Action": action,
            "Format": "JSON",
            "RegionId": self.config.get("region_id", "cn-hangzhou"),
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            **extra,
        }

    def _call(self, action: str, extra: dict[str, str]) -> dict:
        params = self._params(action, extra)
        signature = signature_v1("GET", params, self.config["access_key_secret"])
        query = f"Signature={percent_encode(signature)}&" + "&".join(
            f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items())
        )
        endpoint = self.config.get("endpoint", "https://dysmsapi.aliyuncs.com/")
        try:
            body = self.context.transport.request("GET", f"{endpoint}?{query}").json()
        except ConnectorError as exc:
            if exc.status_code and exc.status_code < 500:
                exc.retryable = exc.status_code == 429
            raise
        code = body.get("Code")
        if code != "OK":
            raise ConnectorError(
                f"Alibaba Cloud SMS refused: {code} {body.get('Message', '')}".strip(),
                retryable=any(str(code).startswith(c) for c in RETRY_CODES),
            )
        return body

    def do_send_sms(
        self,
        phones: list[str],
        template_code: str,
        params: dict | None = None,
        out_id: str | None = None,
    ) -> dict:
        extra = {
            "PhoneNumbers": ",".join(phones),
            "SignName": self.config["sign_name"],
            "TemplateCode": template_code,
        }
        if params:
            extra["TemplateParam"] = json.dumps(params, ensure_ascii=False, separators=(",", ":"))
        if out_id:
            extra["OutId"] = out_id
        body = self._call("SendSms", extra)
        return {"biz_id": body.get("BizId"), "request_id": body.get("RequestId")}

    def test_connection(self) -> dict:
        """QuerySmsSign reads the configured signature's status and sends nothing."""
        body = self._call("QuerySmsSign", {"SignName": self.config["sign_name"]})
        return {"ok": True, "sign_status": body.get("SignStatus")}
