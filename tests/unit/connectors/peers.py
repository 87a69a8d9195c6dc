"""Local HTTP servers on loopback that check requests the way DingTalk, WeCom and a
webhook receiver do, and answer as they document."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Peer:
    """Routes 'METHOD /path' to a function(request) -> (status, json body[, headers])."""

    def __init__(self) -> None:
        self.routes = {}
        self.requests = []
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = {
                    "method": self.command,
                    "path": parts.path,
                    "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                    "headers": dict(self.headers.items()),
                    "body": body,
                }
                peer.requests.append(request)
                route = peer.routes.get(f"{self.command} {parts.path}")
                answer = route(request) if route else (404, {"error": "no route"})
                status, reply, extra = (*answer, {})[:3]
                data = json.dumps(reply).encode()
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def route(self, key: str, handler) -> None:
        self.routes[key] = handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def json(request) -> dict:
        return json.loads(request["body"].decode())
