"""DingTalk and WeCom as their documentation describes them, against local peers."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from connectors import connector
from connectors.errors import ConnectorError
from engine_errors import ValidationError

SECRET = "SECtest-secret-0123456789"


def _dingtalk_robot_checks(request):
    """What DingTalk verifies: timestamp within an hour and the HMAC-SHA256 signature."""
    timestamp = request["query"]["timestamp"]
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    if request["query"].get("sign") != expected:
        return 200, {"errcode": 310000, "errmsg": "sign not match"}
    return 200, {"errcode": 0, "errmsg": "ok"}


def test_dingtalk_robot_signs_and_sends_each_message_kind(peer, context, clock):
    peer.route("POST /robot/send", _dingtalk_robot_checks)
    robot = connector(
        "dingtalk_robot",
        {"webhook_url": f"{peer.url}/robot/send?access_token=T", "secret": SECRET},
        context,
    )
    assert robot.run("send_text", {"content": "红牌预警：牛奶 3 天后到期", "at_all": True}) == {
        "errcode": 0,
        "errmsg": "ok",
    }
    robot.run("send_markdown", {"title": "预警", "text": "### 红牌\n- 牛奶"})
    robot.run(
        "send_action_card",
        {
            "title": "处置",
            "text": "请处理",
            "button": "打开",
            "url": "https://example.com/m/todos/1",
        },
    )
    sent = [peer.json(r) for r in peer.requests]
    assert [m["msgtype"] for m in sent] == ["text", "markdown", "actionCard"]
    assert sent[0]["at"]["isAtAll"] is True
    first = peer.requests[0]["query"]
    assert first["access_token"] == "T" and first["timestamp"] == str(int(clock.now * 1000))


def test_dingtalk_robot_with_a_wrong_secret_reports_the_refusal(peer, context):
    peer.route("POST /robot/send", _dingtalk_robot_checks)
    robot = connector(
        "dingtalk_robot",
        {"webhook_url": f"{peer.url}/robot/send?access_token=T", "secret": "SECwrong"},
        context,
    )
    with pytest.raises(ConnectorError, match="310000") as caught:
        robot.run("send_text", {"content": "x"})
    assert caught.value.retryable is False


def test_dingtalk_app_caches_the_token_and_refreshes_it_when_expired(peer, context, clock):
    issued = []

    def gettoken(request):
        assert request["query"] == {"appkey": "key", "appsecret": "secret"}
        issued.append(f"tok{len(issued)}")
        return 200, {"errcode": 0, "access_token": issued[-1], "expires_in": 7200}

    def send(request):
        if request["query"]["access_token"] != issued[-1]:
            return 200, {"errcode": 42001, "errmsg": "access_token expired"}
        body = peer.json(request)
        assert body["userid_list"] == "u1,u2" and body["msg"]["msgtype"] == "text"
        return 200, {"errcode": 0, "task_id": 1}

    peer.route("GET /gettoken", gettoken)
    peer.route("POST /topapi/message/corpconversation/asyncsend_v2", send)
    app = connector(
        "dingtalk_app",
        {"app_key": "key", "app_secret": "secret", "agent_id": 7, "base_url": peer.url},
        context,
    )
    app.run("send_text", {"user_ids": ["u1", "u2"], "content": "待办"})
    app.run("send_text", {"user_ids": ["u1", "u2"], "content": "待办"})
    assert issued == ["tok0"]  # cached
    clock.now += 7200  # expired by the clock
    app.run("send_text", {"user_ids": ["u1", "u2"], "content": "待办"})
    assert issued == ["tok0", "tok1"]
    issued.append("rotated-by-server")  # the server invalidates the cached token
    app.run("send_text", {"user_ids": ["u1", "u2"], "content": "待办"})
    assert issued[-1] == "tok3"


def test_wecom_robot_and_app_messages(peer, context):
    peer.route(
        "POST /cgi-bin/webhook/send",
        lambda r: (
            (200, {"errcode": 0, "errmsg": "ok"})
            if r["query"].get("key") == "K"
            else (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
        ),
    )
    robot = connector(
        "wecom_robot", {"webhook_url": f"{peer.url}/cgi-bin/webhook/send?key=K"}, context
    )
    robot.run("send_text", {"content": "预警", "mentioned_mobiles": ["13800000000"]})
    robot.run("send_markdown", {"content": "**红牌** 牛奶"})
    robot.run("send_template_card", {"title": "临期", "description": "3 天", "url": "https://x"})
    kinds = [peer.json(r)["msgtype"] for r in peer.requests]
    assert kinds == ["text", "markdown", "template_card"]
    card = peer.json(peer.requests[-1])["template_card"]
    assert card["card_type"] == "text_notice" and card["card_action"]["url"] == "https://x"

    tokens = []
    peer.route(
        "GET /cgi-bin/gettoken",
        lambda r: (
            tokens.append(r["query"]) or 200,
            {"errcode": 0, "access_token": "W", "expires_in": 7200},
        ),
    )
    peer.route(
        "POST /cgi-bin/message/send",
        lambda r: (
            (200, {"errcode": 0})
            if r["query"]["access_token"] == "W"
            else (200, {"errcode": 40014})
        ),
    )
    app = connector(
        "wecom_app",
        {"corp_id": "ww1", "corp_secret": "s", "agent_id": 1000002, "base_url": peer.url},
        context,
    )
    app.run("send_text", {"user_ids": ["zhang", "li"], "content": "待办"})
    assert tokens == [{"corpid": "ww1", "corpsecret": "s"}]
    message = peer.json(peer.requests[-1])
    assert message["touser"] == "zhang|li" and message["agentid"] == 1000002


def test_bad_settings_and_inputs_are_validation_errors(context):
    with pytest.raises(ValidationError) as caught:
        connector("dingtalk_robot", {"url": "x"}, context)
    assert "webhook_url" in str(caught.value.errors) or "_body" in caught.value.errors
    robot = connector("wecom_robot", {"webhook_url": "http://127.0.0.1:9/x"}, context)
    with pytest.raises(ValidationError):
        robot.run("send_text", {"text": "wrong key"})
    with pytest.raises(ValidationError):
        robot.run("explode", {})


def test_server_errors_are_retryable_and_client_errors_are_not(peer, context):
    peer.route("POST /a", lambda r: (503, {"errmsg": "busy"}))
    peer.route("POST /b", lambda r: (400, {"errmsg": "bad"}))
    for path, retryable in (("/a", True), ("/b", False)):
        robot = connector("wecom_robot", {"webhook_url": f"{peer.url}{path}"}, context)
        with pytest.raises(ConnectorError) as caught:
            robot.run("send_text", {"content": "x"})
        assert caught.value.retryable is retryable
