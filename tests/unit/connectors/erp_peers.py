"""Kingdee K/3 Cloud and Yonyou YonBIP played on loopback, with the protocol checks their
documentation implies: login and session cookie, FieldKeys order, signed token."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import unquote

from connectors.kingdee import LOGIN, QUERY, SAVE, SUBMIT


class KingdeePeer:
    """Stock lots answered by ExecuteBillQuery; Save and Submit recorded."""

    def __init__(self, peer, acct="62a1", user="api", password="p@ss") -> None:
        self.peer = peer
        self.credentials = (acct, user, password)
        self.sessions: list[str] = []
        self.lots: list[dict] = []
        self.saved: list[dict] = []
        self.submitted: list[list[str]] = []
        self.base = f"{peer.url}/k3cloud"
        peer.route(f"POST /k3cloud/{LOGIN}", self.login)
        peer.route(f"POST /k3cloud/{QUERY}", self.query)
        peer.route(f"POST /k3cloud/{SAVE}", self.save)
        peer.route(f"POST /k3cloud/{SUBMIT}", self.submit)

    def login(self, request):
        body = self.peer.json(request)
        if (body["acctID"], body["username"], body["password"]) != self.credentials:
            return 200, {"LoginResultType": 0, "Message": "用户名或密码错误"}
        self.sessions.append(f"S{len(self.sessions)}")
        return (
            200,
            {"LoginResultType": 1, "KDSVCSessionId": self.sessions[-1]},
            {"Set-Cookie": f"kdservice-sessionid={self.sessions[-1]}; path=/"},
        )

    def _logged_in(self, request) -> bool:
        return bool(self.sessions) and request["headers"].get("Cookie") == (
            f"kdservice-sessionid={self.sessions[-1]}"
        )

    @staticmethod
    def _lost():
        status = {"IsSuccess": False, "MsgCode": 1, "Errors": [{"Message": "会话信息已丢失"}]}
        return 200, {"Result": {"ResponseStatus": status}}

    def query(self, request):
        if not self._logged_in(request):
            return self._lost()
        data = self.peer.json(request)["data"]
        keys = [k.strip() for k in data["FieldKeys"].split(",")]
        start = data["StartRow"]
        return 200, [[lot.get(k) for k in keys] for lot in self.lots][start : start + data["Limit"]]

    def save(self, request):
        if not self._logged_in(request):
            return self._lost()
        body = self.peer.json(request)
        model = body["data"]["Model"]
        if not model.get("FBillEntry"):
            status = {"IsSuccess": False, "Errors": [{"Message": "分录不能为空"}]}
            return 200, {"Result": {"ResponseStatus": status}}
        self.saved.append({"formid": body["formid"], "model": model})
        number = f"ZJDB{len(self.saved):06d}"
        status = {"IsSuccess": True, "SuccessEntitys": [{"Id": len(self.saved), "Number": number}]}
        return 200, {"Result": {"ResponseStatus": status, "Id": len(self.saved), "Number": number}}

    def submit(self, request):
        if not self._logged_in(request):
            return self._lost()
        numbers = self.peer.json(request)["data"]["Numbers"]
        self.submitted.append(numbers)
        return 200, {"Result": {"ResponseStatus": {"IsSuccess": True}}}


class YonyouPeer:
    """A self-built app's signed token, a stock query and document pushes."""

    def __init__(self, peer, app_key="ak1", app_secret="yy-secret") -> None:
        self.peer = peer
        self.app_key, self.app_secret = app_key, app_secret
        self.stock: list[dict] = []
        self.pushed: list[dict] = []
        peer.route("GET /iuap-api-auth/open-auth/selfAppAuth/getAccessToken", self.token)
        peer.route("POST /yonbip/scm/stock/QueryCurrentStocksByCondition", self.query)
        peer.route("POST /yonbip/scm/othoutrecord/single/save", self.push)

    def token(self, request):
        q = request["query"]
        text = f"appKey{q['appKey']}timestamp{q['timestamp']}"
        expected = base64.b64encode(
            hmac.new(self.app_secret.encode(), text.encode(), hashlib.sha256).digest()
        ).decode()
        if q["appKey"] != self.app_key or unquote(q["signature"]) != expected:
            return 200, {"code": "310036", "message": "signature mismatch"}
        return 200, {"code": "00000", "data": {"access_token": "YT-1", "expire": 7200}}

    def query(self, request):
        if request["query"].get("access_token") != "YT-1":
            return 200, {"code": "310036", "message": "token invalid"}
        return 200, {"code": "200", "data": self.stock}

    def push(self, request):
        if request["query"].get("access_token") != "YT-1":
            return 200, {"code": "310036", "message": "token invalid"}
        self.pushed.append(self.peer.json(request)["data"])
        return 200, {"code": "200", "data": {"id": str(len(self.pushed)), "code": "QTCK-0001"}}
