"""SMS: a templated HTTP gateway, and Alibaba Cloud SendSms signed as its documentation says."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from urllib.parse import quote_plus

import pytest

from connectors import connector
from connectors.errors import ConnectorError
from connectors.sms import signature_v1


def test_signature_v1_matches_the_documented_example():
    """The worked example of Alibaba Cloud's SMS signature documentation."""
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert signature_v1("GET", params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def _documented_encode(text: str) -> str:
    """The documentation's recipe: form-encode, then '+' -> %20, '*' -> %2A, %7E -> '~'."""
    return quote_plus(text, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


def _aliyun_peer(peer, secret: str, answer=None):
    seen = []

    def send(request):
        query = dict(request["query"])
        signature = query.pop("Signature")
        canonical = "&".join(
            f"{_documented_encode(k)}={_documented_encode(query[k])}" for k in sorted(query)
        )
        to_sign = "GET&%2F&" + _documented_encode(canonical)
        expected = base64.b64encode(
            hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
        ).decode()
        if signature != expected:
            return 400, {
                "Code": "SignatureDoesNotMatch",
                "Message": "Specified signature is not matched",
            }
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", query["Timestamp"])
        assert query["SignatureMethod"] == "HMAC-SHA1" and query["SignatureVersion"] == "1.0"
        assert query["Version"] == "2017-05-25" and query["SignatureNonce"] not in seen
        seen.append(query["SignatureNonce"])
        if answer:
            return 200, answer
        return 200, {
            "Code": "OK",
            "Message": "OK",
            "BizId": "9006197^0",
            "RequestId": "R-1",
            "Query": query,
        }

    peer.route("GET /", send)


ALIYUN = {"access_key_id": "LTAI-test", "sign_name": "绿色货架", "region_id": "cn-hangzhou"}


def test_aliyun_send_sms_is_signed_and_accepted(peer, context):
    _aliyun_peer(peer, "s3cr3t/+*~ key")
    sms = connector(
        "aliyun_sms",
        {**ALIYUN, "access_key_secret": "s3cr3t/+*~ key", "endpoint": peer.url + "/"},
        context,
    )
    result = sms.run(
        "send_sms",
        {
            "phones": ["13800000000", "13900000000"],
            "template_code": "SMS_1234",
            "params": {"batch": "B 1*2~", "days": 3},
        },
    )
    assert result == {"biz_id": "9006197^0", "request_id": "R-1"}
    query = peer.requests[0]["query"]
    assert query["Action"] == "SendSms" and query["PhoneNumbers"] == "13800000000,13900000000"
    assert query["SignName"] == "绿色货架"
    assert json.loads(query["TemplateParam"]) == {"batch": "B 1*2~", "days": 3}
    sms.run("send_sms", {"phones": ["13800000000"], "template_code": "SMS_1234"})
    assert len(peer.requests) == 2  # a fresh nonce each time


def test_aliyun_wrong_secret_is_refused_and_not_retried(peer, context):
    _aliyun_peer(peer, "right")
    sms = connector(
        "aliyun_sms", {**ALIYUN, "access_key_secret": "wrong", "endpoint": peer.url + "/"}, context
    )
    with pytest.raises(ConnectorError, match="SignatureDoesNotMatch") as refused:
        sms.run("send_sms", {"phones": ["13800000000"], "template_code": "SMS_1"})
    assert refused.value.retryable is False


def test_aliyun_flow_control_is_retried_later(peer, context):
    _aliyun_peer(peer, "k", {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"})
    sms = connector(
        "aliyun_sms", {**ALIYUN, "access_key_secret": "k", "endpoint": peer.url + "/"}, context
    )
    with pytest.raises(ConnectorError, match="流控") as limited:
        sms.run("send_sms", {"phones": ["13800000000"], "template_code": "SMS_1"})
    assert limited.value.retryable is True


def _gateway(peer, context, **overrides):
    config = {
        "url": peer.url + "/sms/send?account={{ params.account | urlencode }}",
        "headers": {"X-Api-Key": "{{ secrets.api_key }}"},
        "body": {"mobiles": "{{ phones | join(',') }}", "content": "【绿色货架】{{ message }}"},
        "success": {"path": "$.result.code", "equals": 0},
        "api_key": "gw-key-1",
        **overrides,
    }
    return connector("sms_gateway", config, context)


def test_generic_gateway_renders_its_template(peer, context):
    peer.route("POST /sms/send", lambda r: (200, {"result": {"code": 0, "id": "m1"}}))
    result = _gateway(peer, context).run(
        "send_sms",
        {
            "phones": ["13800000000", "13900000000"],
            "message": "批次 B1 剩 3 天",
            "params": {"account": "东区"},
        },
    )
    assert result == {"status": 200, "phones": 2}
    request = peer.requests[0]
    assert request["query"] == {"account": "东区"}
    assert request["headers"]["X-Api-Key"] == "gw-key-1"
    assert json.loads(request["body"]) == {
        "mobiles": "13800000000,13900000000",
        "content": "【绿色货架】批次 B1 剩 3 天",
    }


def test_generic_gateway_refusal_in_a_200_reply_is_an_error(peer, context):
    peer.route("POST /sms/send", lambda r: (200, {"result": {"code": 41, "msg": "余额不足"}}))
    with pytest.raises(ConnectorError, match="余额不足") as refused:
        _gateway(peer, context, url=peer.url + "/sms/send").run(
            "send_sms", {"phones": ["13800000000"], "message": "x"}
        )
    assert refused.value.retryable is False


def test_phone_numbers_are_checked(context):
    with pytest.raises(Exception, match="not valid"):
        connector("sms_gateway", {"url": "https://sms.example.com/", "body": "x"}, context).run(
            "send_sms", {"phones": ["13800000000; rm -rf"], "message": "x"}
        )
