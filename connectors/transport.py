"""HTTP calls to the outside: checked address, pinned connection, timeout, capped reply."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from connectors.errors import ConnectorError
from connectors.guard import Allowlist, check_url

MAX_RESPONSE = 1024 * 1024
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    latency_ms: int

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            raise ConnectorError(
                "The reply is not JSON.", retryable=False, status_code=self.status
            ) from None


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._ssl = context

    def connect(self):
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._ssl.wrap_socket(raw, server_hostname=self.host)


@dataclass(frozen=True)
class Transport:
    allowlist: Allowlist = Allowlist()
    timeout: float = 10.0

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        host, port, address = check_url(url, self.allowlist)
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if parts.scheme == "https":
            connection = _PinnedHTTPS(
                host, port, address, self.timeout, ssl.create_default_context()
            )
        else:
            connection = _PinnedHTTP(host, port, address, self.timeout)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers or {})
            reply = connection.getresponse()
            data = reply.read(MAX_RESPONSE + 1)[:MAX_RESPONSE]
            response = Response(
                reply.status,
                {k.lower(): v for k, v in reply.getheaders()},
                data,
                int((time.monotonic() - started) * 1000),
            )
        except (OSError, http.client.HTTPException) as exc:
            raise ConnectorError(f"Could not reach {host}: {exc}", retryable=True) from None
        finally:
            connection.close()
        if response.status >= 400:
            excerpt = response.body[:200].decode("utf-8", "replace")
            raise ConnectorError(
                f"{host} answered {response.status}: {excerpt}",
                retryable=response.status in RETRY_STATUSES,
                status_code=response.status,
            )
        return response

    def post_json(self, url: str, payload: Any, headers: dict[str, str] | None = None) -> Response:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return self.request(
            "POST",
            url,
            body=body,
            headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        )
