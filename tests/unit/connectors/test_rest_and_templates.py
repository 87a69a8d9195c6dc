"""The HTTP/REST connector against a local API: templates in, JSONPath out, sandbox held."""

from __future__ import annotations

import json

import pytest

from connectors import connector
from connectors.errors import ConnectorError
from engine_errors import ValidationError

RECORD = {"id": 7, "batch_no": "B-2026/11", "qty": 120, "warehouse": "华东仓", "tags": ["a"]}


def test_any_method_with_templated_url_headers_body_and_extracted_fields(peer, context):
    def put(request):
        return 200, {"data": {"ticket": {"id": "T-99", "state": "open"}, "lines": [1, 2]}}

    peer.route("PUT /api/batches/B-2026/11", put)
    rest = connector(
        "http",
        {
            "method": "PUT",
            "url": peer.url + "/api/batches/{{ record.batch_no | urlencode }}",
            "headers": {"X-Warehouse": "{{ record.id }}-{{ flow.node }}"},
            "body": {
                "quantity": "{{ record.qty }}",
                "label": "{{ record.warehouse }} / {{ record.qty * 2 }}",
                "tags": "{{ record.tags }}",
            },
            "extract": {"ticket": "$.data.ticket.id", "lines": "$.data.lines[*]", "none": "$.x"},
            "token": "tok-123",
        },
        context,
    )
    result = rest.run("call", {"variables": {"record": RECORD, "flow": {"node": "approve"}}})
    assert result == {"status": 200, "fields": {"ticket": "T-99", "lines": [1, 2], "none": None}}
    request = peer.requests[0]
    assert request["method"] == "PUT"
    assert request["headers"]["X-Warehouse"] == "7-approve"
    assert request["headers"]["Authorization"] == "Bearer tok-123"
    assert json.loads(request["body"]) == {"quantity": 120, "label": "华东仓 / 240", "tags": ["a"]}


def test_form_bodies_and_text_bodies(peer, context):
    peer.route("POST /form", lambda r: (200, {}))
    rest = connector(
        "http",
        {
            "url": peer.url + "/form",
            "body": {"sku": "{{ record.batch_no }}"},
            "body_format": "form",
        },
        context,
    )
    rest.run("call", {"variables": {"record": RECORD}})
    request = peer.requests[0]
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert request["body"] == b"sku=B-2026%2F11"


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ record.__class__.__init__.__globals__ }}",
        "x{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ lipsum.__globals__ }}",
        "{{ record.update({'qty': 0}) }}",
        "{{ 'a' * 100000000 }}",
        "{{ 9 ** 99999999 }}",
    ],
)
def test_templates_cannot_reach_python(peer, context, template):
    peer.route("POST /x", lambda r: (200, {}))
    rest = connector("http", {"url": peer.url + "/x", "body": {"v": template}}, context)
    with pytest.raises(ValidationError) as refused:
        rest.run("call", {"variables": {"record": dict(RECORD)}})
    assert "body.v" in refused.value.errors
    assert peer.requests == []  # nothing was sent


def test_values_are_data_not_templates(peer, context):
    """A record value that looks like a template is sent as it is, never rendered."""
    peer.route("POST /x", lambda r: (200, {}))
    rest = connector("http", {"url": peer.url + "/x", "body": '{"n": {{ v | tojson }}}'}, context)
    rest.run("call", {"variables": {"v": "{{ 7 * 7 }}"}})
    assert json.loads(peer.requests[0]["body"]) == {"n": "{{ 7 * 7 }}"}


def test_broken_templates_and_paths_are_refused_when_saved():
    with pytest.raises(ValidationError) as bad:
        connector(
            "http",
            {"url": "https://api.example.com/{{ x", "extract": {"id": "$.data[?"}},
        )
    assert "url" in bad.value.errors
    with pytest.raises(ValidationError) as bad_path:
        connector("http", {"url": "https://api.example.com/", "extract": {"id": "$.data[?"}})
    assert "extract.id" in bad_path.value.errors


def test_errors_from_the_api_are_classified(peer, context):
    peer.route("DELETE /gone", lambda r: (404, {"error": "no such batch"}))
    peer.route("DELETE /busy", lambda r: (503, {}))
    for path, retryable in (("/gone", False), ("/busy", True)):
        rest = connector("http", {"method": "DELETE", "url": peer.url + path}, context)
        with pytest.raises(ConnectorError) as failed:
            rest.run("call", {})
        assert failed.value.retryable is retryable
