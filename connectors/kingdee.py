"""Kingdee Cloud Galaxy (K/3 Cloud) WebAPI: login, bill queries, save and submit.

Every call is a POST of JSON to ``<base>/Kingdee.BOS.WebApi.ServicesStub.<Service>.common.kdsvc``.
ValidateUser returns LoginResultType 1 and a session cookie that later calls send back;
when the session is lost the connector logs in again once. ExecuteBillQuery answers rows
as arrays in the order of FieldKeys; Save and Submit answer a Result.ResponseStatus.
``push_record`` builds a bill's Model from a named mapping of templates over a record
(e.g. a disposal) and saves it, then submits it when the mapping says so.
"""

from __future__ import annotations

import json
from http.cookies import SimpleCookie

from connectors import templates
from connectors.base import ConnectorType, register
from connectors.errors import ConnectorError

STUB = "Kingdee.BOS.WebApi.ServicesStub"
LOGIN = f"{STUB}.AuthService.ValidateUser.common.kdsvc"
QUERY = f"{STUB}.DynamicFormService.ExecuteBillQuery.common.kdsvc"
SAVE = f"{STUB}.DynamicFormService.Save.common.kdsvc"
SUBMIT = f"{STUB}.DynamicFormService.Submit.common.kdsvc"
MAX_PAGES = 100
LOT_FIELDS = "FMaterialId.FNumber,FLot.FNumber,FStockId.FNumber,FBaseQty,FProduceDate,FExpiryDate"


def _status(body: dict) -> dict:
    status = (body.get("Result") or {}).get("ResponseStatus") or {}
    if status.get("IsSuccess"):
        return body["Result"]
    errors = "; ".join(e.get("Message", "") for e in status.get("Errors", [])) or str(status)
    raise ConnectorError(f"Kingdee refused: {errors}", retryable=False)


@register
class Kingdee(ConnectorType):
    name = "kingdee"
    label = {"zh": "金蝶云星空", "en": "Kingdee Cloud Galaxy (K/3 Cloud)"}
    config_schema = {
        "type": "object",
        "required": ["base_url", "acct_id", "username", "password"],
        "additionalProperties": False,
        "properties": {
            "base_url": {"type": "string"},
            "acct_id": {"type": "string"},
            "username": {"type": "string"},
            "password": {"type": "string"},
            "lcid": {"type": "integer", "default": 2052},
            "bills": {
                "type": "object",
                "description": "named bill mappings: the Model as templates over the record",
                "additionalProperties": {
                    "type": "object",
                    "required": ["form_id", "model"],
                    "additionalProperties": False,
                    "properties": {
                        "form_id": {"type": "string"},
                        "model": {"type": "object"},
                        "submit": {"type": "boolean", "default": False},
                    },
                },
            },
        },
    }
    secret_fields = ("password",)
    actions = {
        "query_lots": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "filter": {"type": "string"},
                "limit": {"type": "integer", "minimum": 1, "maximum": 10000},
                "form_id": {"type": "string"},
                "field_keys": {"type": "string"},
                "all_pages": {"type": "boolean"},
            },
        },
        "save_bill": {
            "type": "object",
            "required": ["form_id", "model"],
            "additionalProperties": False,
            "properties": {"form_id": {"type": "string"}, "model": {"type": "object"}},
        },
        "submit_bill": {
            "type": "object",
            "required": ["form_id", "numbers"],
            "additionalProperties": False,
            "properties": {
                "form_id": {"type": "string"},
                "numbers": {"type": "array", "items": {"type": "string"}},
            },
        },
        "push_record": {
            "type": "object",
            "required": ["bill", "variables"],
            "additionalProperties": False,
            "properties": {"bill": {"type": "string"}, "variables": {"type": "object"}},
        },
    }

    @classmethod
    def validate_config(cls, config):
        config = super().validate_config(config)
        for name, bill in (config.get("bills") or {}).items():
            templates.check(bill["model"], f"bills.{name}.model")
        return config

    @property
    def base(self) -> str:
        return self.config["base_url"].rstrip("/")

    @property
    def _session_key(self) -> str:
        return f"kingdee:{self.base}:{self.config['acct_id']}:{self.config['username']}"

    def login(self) -> str:
        payload = {
            "acctID": self.config["acct_id"],
            "username": self.config["username"],
            "password": self.config["password"],
            "lcid": self.config.get("lcid", 2052),
        }
        response = self.context.transport.post_json(f"{self.base}/{LOGIN}", payload)
        body = response.json()
        if body.get("LoginResultType") != 1:
            raise ConnectorError(
                f"Kingdee login failed: {body.get('Message', body)}", retryable=False
            )
        cookie = SimpleCookie(response.headers.get("set-cookie", ""))
        pairs = "; ".join(f"{k}={v.value}" for k, v in cookie.items())
        session = pairs or f"kdservice-sessionid={body.get('KDSVCSessionId', '')}"
        self.context.tokens.put(self._session_key, session, 20 * 60)
        return session

    def _call(self, service: str, payload: dict):
        for fresh in (False, True):
            session = (
                None if fresh else self.context.tokens.get(self._session_key)
            ) or self.login()
            body = self.context.transport.post_json(
                f"{self.base}/{service}", payload, headers={"Cookie": session}
            ).json()
            if not _session_lost(body):
                return body
            self.context.tokens.drop(self._session_key)
        raise ConnectorError("Kingdee keeps losing the session.", retryable=True)

    def do_query_lots(
        self,
        filter: str = "",
        limit: int = 2000,
        form_id: str = "STK_Inventory",
        field_keys: str = LOT_FIELDS,
        all_pages: bool = False,
    ) -> dict:
        """Rows as dicts keyed by FieldKeys; ``all_pages`` reads on (StartRow) until a short
        page, for syncing a whole inventory."""
        keys = [k.strip() for k in field_keys.split(",")]
        out: list[dict] = []
        for _ in range(MAX_PAGES if all_pages else 1):
            query = {
                "FormId": form_id,
                "FieldKeys": field_keys,
                "FilterString": filter,
                "Limit": limit,
                "StartRow": len(out),
            }
            rows = self._call(QUERY, {"data": query})
            if isinstance(rows, dict):
                _status(rows)
            out.extend(dict(zip(keys, row, strict=False)) for row in rows)
            if len(rows) < limit:
                break
        return {"rows": out}

    def do_save_bill(self, form_id: str, model: dict) -> dict:
        result = _status(self._call(SAVE, {"formid": form_id, "data": {"Model": model}}))
        return {"id": result.get("Id"), "number": result.get("Number")}

    def do_submit_bill(self, form_id: str, numbers: list[str]) -> dict:
        _status(self._call(SUBMIT, {"formid": form_id, "data": {"Numbers": numbers}}))
        return {"submitted": numbers}

    def do_push_record(self, bill: str, variables: dict) -> dict:
        """Save (and submit, if the mapping says so) a bill built from a record."""
        mapping = (self.config.get("bills") or {}).get(bill)
        if mapping is None:
            raise ConnectorError(f"No bill mapping named '{bill}'.", retryable=False)
        model = templates.render_value(mapping["model"], variables, f"bills.{bill}.model")
        saved = self.do_save_bill(mapping["form_id"], model)
        if mapping.get("submit") and saved["number"]:
            self.do_submit_bill(mapping["form_id"], [saved["number"]])
        return {**saved, "submitted": bool(mapping.get("submit"))}

    def test_connection(self) -> dict:
        self.login()
        return {"ok": True}


def _session_lost(body) -> bool:
    if not isinstance(body, dict):
        return False
    status = (body.get("Result") or {}).get("ResponseStatus") or {}
    return status.get("MsgCode") == 1 or "会话" in json.dumps(body, ensure_ascii=False)
