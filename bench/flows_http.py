"""Part (c) of the flows bench: approve calls through the HTTP API of a real gunicorn
server (two workers), timed from a keep-alive client that logs in like the console."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import time
from pathlib import Path

from bench.flows_setup import HTTP_CALLS, PORT, analyze, make_records, open_seat, scope_of
from bench.report import Report, percentiles

ROOT = Path(__file__).resolve().parent.parent


class Client:
    """A keep-alive HTTP client that logs in and sends the CSRF header like the console."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json", "Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "gs_csrf" in self.cookies:
            headers["X-CSRF-Token"] = self.cookies["gs_csrf"]
        self.conn.request("POST", path, json.dumps(body), headers)
        response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, json.loads(data or b"{}")


def _serve(ctx: dict) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": ctx["url"],
        "GS_INSTANCE_PATH": ctx["config"]["INSTANCE_PATH"],
        "SECRET_KEY": "bench",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            probe.request("GET", "/api/openapi.json")
            if probe.getresponse().status == 200:  # a worker answers
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.kill()
    raise RuntimeError("the server did not start")


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def bench_http(report: Report, ctx: dict) -> None:
    from app.flows.instances import start_instance

    print(f"(c) {HTTP_CALLS} approve calls through the HTTP API (gunicorn, 2 workers)", flush=True)
    flow_id = ctx["flows"]["two_step"]
    count = HTTP_CALLS // 2 + 5
    instances = [
        start_instance(scope_of(ctx, "clerk"), flow_id, r).id for r in make_records(ctx, count)
    ]
    analyze()
    server = _serve(ctx)
    try:
        clients = {}
        for who in ("head", "director"):
            clients[who] = Client(PORT)
            status, body = clients[who].post(
                "/api/v1/auth/login",
                {"username": who, "password": "bench-pass-123", "tenant": "bench"},
            )
            assert status == 200, body
        times = []
        for n, instance_id in enumerate(instances):
            for who in ("head", "director"):
                seat = open_seat(ctx, instance_id, elsewhere=True)
                started = time.perf_counter()
                status, body = clients[who].post(f"/api/v1/flow-tasks/{seat}/approve", {})
                elapsed = time.perf_counter() - started
                assert status == 200, body
                if n >= 5:  # the first calls warm the workers
                    times.append(elapsed)
    finally:
        _stop(server)
    report.add(
        "(c) approve over HTTP", percentiles(times), "", f"{len(times)} calls; target p95 < 100 ms"
    )
