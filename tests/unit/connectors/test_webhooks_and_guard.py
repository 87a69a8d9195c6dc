"""Signed webhooks out and in, and the refusal of private addresses."""

from __future__ import annotations

import json

import pytest

from connectors import connector
from connectors.base import Context
from connectors.errors import BlockedAddress, ConnectorError
from connectors.guard import Allowlist, check_url
from connectors.transport import Transport
from connectors.webhook import sign, verify

SECRET = "whsec-0123456789abcdef"


def test_webhook_is_signed_and_the_receiver_can_verify_it(peer, context, clock):
    peer.route("POST /hook", lambda r: (200, {"ok": True}))
    hook = connector("webhook", {"url": f"{peer.url}/hook", "secret": SECRET}, context)
    result = hook.run(
        "post_event", {"event": "alert.level_changed", "data": {"batch": "B1", "level": "red"}}
    )
    request = peer.requests[0]
    headers = request["headers"]
    assert headers["X-GreenShelf-Event"] == "alert.level_changed"
    assert headers["X-GreenShelf-Delivery"] == result["delivery_id"]
    verify(
        SECRET,
        headers["X-GreenShelf-Timestamp"],
        request["body"],
        headers["X-GreenShelf-Signature"],
        now=clock.now,
    )
    assert json.loads(request["body"])["data"]["level"] == "red"


@pytest.mark.parametrize(
    "timestamp, body, signature, message",
    [
        ("1790000000", b'{"a": 1}', "sha256=deadbeef", "does not match"),
        ("1789990000", b'{"a": 1}', None, "too old"),
        ("soon", b"{}", "x", "Timestamp"),
    ],
)
def test_inbound_signatures_are_checked(timestamp, body, signature, message):
    if signature is None and timestamp.isdigit():
        signature = sign(SECRET, int(timestamp), body)
    with pytest.raises(ConnectorError, match=message):
        verify(SECRET, timestamp, body, signature, now=1_790_000_000)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://10.1.2.3/x",
        "http://192.168.1.1/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8080/x",
        "http://[::1]/x",
        "http://0.0.0.0/x",
        "ftp://example.com/x",
        "file:///etc/passwd",
    ],
)
def test_private_and_local_addresses_are_refused(url):
    with pytest.raises(BlockedAddress) as caught:
        check_url(url, Allowlist())
    assert caught.value.status == 422 and caught.value.errors["url"]


def test_allowlisted_private_addresses_pass(peer):
    host, port, address = check_url(f"{peer.url}/x", Allowlist(("127.0.0.1",)))
    assert address == "127.0.0.1"


def test_the_transport_refuses_before_connecting(peer):
    peer.route("POST /x", lambda r: (200, {}))
    hook = connector(
        "webhook", {"url": f"{peer.url}/x", "secret": SECRET}, Context(transport=Transport())
    )
    with pytest.raises(BlockedAddress):
        hook.run("post_event", {"event": "ping", "data": {}})
    assert peer.requests == []
