"""Kingdee K/3 Cloud and Yonyou YonBIP round trips against local peers."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import unquote

import pytest

from connectors import connector
from connectors.errors import ConnectorError
from connectors.kingdee import LOGIN, QUERY, SAVE, SUBMIT

KD = {"acct_id": "62a1", "username": "api", "password": "p@ss"}


def _kingdee_peer(peer, sessions):
    def login(request):
        body = peer.json(request)
        if (body["acctID"], body["username"], body["password"]) != ("62a1", "api", "p@ss"):
            return 200, {"LoginResultType": 0, "Message": "用户名或密码错误"}
        sessions.append(f"S{len(sessions)}")
        return (
            200,
            {"LoginResultType": 1, "KDSVCSessionId": sessions[-1]},
            {"Set-Cookie": f"kdservice-sessionid={sessions[-1]}; path=/"},
        )

    def logged_in(request):
        return request["headers"].get("Cookie") == f"kdservice-sessionid={sessions[-1]}"

    def lost():
        return 200, {
            "Result": {
                "ResponseStatus": {
                    "IsSuccess": False,
                    "MsgCode": 1,
                    "Errors": [{"Message": "会话信息已丢失"}],
                }
            }
        }

    def query(request):
        if not logged_in(request):
            return lost()
        data = peer.json(request)["data"]
        assert data["FormId"] == "STK_Inventory" and "FLot.FNumber" in data["FieldKeys"]
        return 200, [
            ["MILK-1L", "L20261101", "CK001", 120.0, "2026-11-01", "2026-11-22"],
            ["CHIPS", "L20260601", "CK002", 48.0, "2026-06-01", "2027-03-01"],
        ]

    def save(request):
        if not logged_in(request):
            return lost()
        model = peer.json(request)["data"]["Model"]
        ok = bool(model.get("FBillEntry"))
        status = {"IsSuccess": ok, "Errors": [] if ok else [{"Message": "分录不能为空"}]}
        return 200, {"Result": {"ResponseStatus": status, "Id": 100, "Number": "ZJDB000001"}}

    def submit(request):
        numbers = peer.json(request)["data"]["Numbers"]
        return 200, {"Result": {"ResponseStatus": {"IsSuccess": numbers == ["ZJDB000001"]}}}

    peer.route(f"POST /k3cloud/{LOGIN}", login)
    peer.route(f"POST /k3cloud/{QUERY}", query)
    peer.route(f"POST /k3cloud/{SAVE}", save)
    peer.route(f"POST /k3cloud/{SUBMIT}", submit)


def test_kingdee_login_query_save_submit_round_trip(peer, context):
    sessions = []
    _kingdee_peer(peer, sessions)
    kd = connector("kingdee", {"base_url": f"{peer.url}/k3cloud", **KD}, context)
    lots = kd.run("query_lots", {"filter": "FBaseQty > 0"})["rows"]
    assert lots[0] == {
        "FMaterialId.FNumber": "MILK-1L",
        "FLot.FNumber": "L20261101",
        "FStockId.FNumber": "CK001",
        "FBaseQty": 120.0,
        "FProduceDate": "2026-11-01",
        "FExpiryDate": "2026-11-22",
    }
    saved = kd.run(
        "save_bill",
        {
            "form_id": "STK_TransferDirect",
            "model": {"FBillEntry": [{"FMaterialId": {"FNumber": "MILK-1L"}, "FQty": 120}]},
        },
    )
    assert saved == {"id": 100, "number": "ZJDB000001"}
    kd.run("submit_bill", {"form_id": "STK_TransferDirect", "numbers": ["ZJDB000001"]})
    assert sessions == ["S0"]  # one login served every call
    sessions.append("rotated")  # the server forgets the session: log in again, once
    assert len(kd.run("query_lots", {})["rows"]) == 2
    assert sessions[-1] == "S2"
    with pytest.raises(ConnectorError, match="分录不能为空"):
        kd.run("save_bill", {"form_id": "STK_TransferDirect", "model": {}})


def test_kingdee_wrong_password(peer, context):
    _kingdee_peer(peer, [])
    kd = connector("kingdee", {"base_url": f"{peer.url}/k3cloud", **KD, "password": "x"}, context)
    with pytest.raises(ConnectorError, match="用户名或密码错误"):
        kd.test_connection()


def test_yonyou_token_signature_then_query_and_push(peer, context, clock):
    issued = []

    def token(request):
        q = request["query"]
        text = f"appKey{q['appKey']}timestamp{q['timestamp']}"
        expected = base64.b64encode(
            hmac.new(b"yy-secret", text.encode(), hashlib.sha256).digest()
        ).decode()
        if unquote(q["signature"]) != expected:
            return 200, {"code": "310036", "message": "signature mismatch"}
        issued.append("YT")
        return 200, {"code": "00000", "data": {"access_token": "YT", "expire": 7200}}

    def stock(request):
        assert request["query"]["access_token"] == "YT"
        return 200, {"code": "200", "data": [{"product": "MILK", "batchno": "B1", "qty": 5}]}

    def push(request):
        assert peer.json(request)["data"]["bustype"] == "A10001"
        return 200, {"code": "200", "data": {"id": "9", "code": "OO-0001"}}

    peer.route("GET /iuap-api-auth/open-auth/selfAppAuth/getAccessToken", token)
    peer.route("POST /yonbip/scm/stock/QueryCurrentStocksByCondition", stock)
    peer.route("POST /yonbip/scm/othoutrecord/single/save", push)
    yy = connector(
        "yonyou", {"base_url": peer.url, "app_key": "ak1", "app_secret": "yy-secret"}, context
    )
    assert (
        yy.run("query_stock", {"condition": {"warehouse": "CK001"}})["rows"][0]["batchno"] == "B1"
    )
    pushed = yy.run("push_document", {"data": {"bustype": "A10001", "details": []}})
    assert pushed["result"]["code"] == "OO-0001"
    assert issued == ["YT"]  # the token is reused until it expires
    assert str(int(clock.now * 1000)) in peer.requests[0]["query"]["timestamp"]
