"""Approval flows: throughput with persistence after every step, growth over a long loop, and
approve latency over HTTP, each beside baselines measured in the same run.

    DATABASE_URL=postgresql://postgres@localhost:5432/test .venv/bin/python bench/flows.py

(a) start + complete a two-step approval through the service layer (every step saved with
    its version check, seats, history), in instances/s, beside raw in-memory SpiffWorkflow
    on the same definition (the ceiling) and a naive store that writes the whole serialized
    workflow (spec included) per step with bare SQL;
(b) one instance looping ``BENCH_LOOPS`` (default 500) times through a review task: mean
    time of the last 50 steps against the first 50, beside the naive whole-state store;
(c) approve calls through the HTTP API of a real gunicorn server: p50 / p95.

``BENCH_INSTANCES`` (default 300) sets (a)'s instances, ``BENCH_HTTP`` (default 200) the
approve calls of (c), ``BENCH_PARTS`` (default ``abc``) which parts run. On PostgreSQL
everything lives in a schema ``gs_bench_flows`` (``BENCH_SCHEMA`` names another) that is
dropped first; on SQLite in a temporary folder.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.database import fresh_database_url  # noqa: E402
from bench.report import Report, percentiles  # noqa: E402

INSTANCES = int(os.environ.get("BENCH_INSTANCES", "300"))
LOOPS = int(os.environ.get("BENCH_LOOPS", "500"))
HTTP_CALLS = int(os.environ.get("BENCH_HTTP", "200"))
PARTS = os.environ.get("BENCH_PARTS", "abc")
SCHEMA = os.environ.get("BENCH_SCHEMA", "gs_bench_flows")
PORT = int(os.environ.get("BENCH_PORT", "5391"))
FIELDS = [
    {"key": "batch_no", "type": "text", "label": "批次号"},
    {"key": "qty", "type": "integer", "label": "数量"},
    {"key": "note", "type": "text", "label": "备注"},
]


def _task(node_id: str, name: str, assignee: str) -> str:
    return (
        f'<bpmn:userTask id="{node_id}" name="{name}" gs:form="disposal" gs:assignee="{assignee}"/>'
    )


def _bpmn(process: str, body: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:gs="urn:greenshelf:bpmn:1" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="{process}" isExecutable="true">
    {body}
  </bpmn:process>
</bpmn:definitions>
"""


def _condition(flow_id: str, source: str, target: str, expression: str) -> str:
    return (
        f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">'
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
        f"<![CDATA[{expression}]]></bpmn:conditionExpression></bpmn:sequenceFlow>"
    )


# The department head approves, then the director when the quantity is over 100.
TWO_STEP = _bpmn(
    "two_step",
    "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="manager"/>',
            _task("manager", "部门主管", "dept_head"),
            '<bpmn:sequenceFlow id="f2" sourceRef="manager" targetRef="big"/>',
            '<bpmn:exclusiveGateway id="big" default="f4"/>',
            _condition("f3", "big", "director", '{">": [{"var": "qty"}, 100]}'),
            '<bpmn:sequenceFlow id="f4" sourceRef="big" targetRef="end"/>',
            _task("director", "总监", "role:director"),
            '<bpmn:sequenceFlow id="f5" sourceRef="director" targetRef="end"/>',
            '<bpmn:endEvent id="end"/>',
        ]
    ),
)
# The department head reviews again and again until the note says "done".
LOOP = _bpmn(
    "review_loop",
    "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>',
            _task("review", "复核", "dept_head"),
            '<bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="settled"/>',
            '<bpmn:exclusiveGateway id="settled" default="again"/>',
            _condition("out", "settled", "end", '{"==": [{"var": "note"}, "done"]}'),
            '<bpmn:sequenceFlow id="again" sourceRef="settled" targetRef="review"/>',
            '<bpmn:endEvent id="end"/>',
        ]
    ),
)


def database_url() -> str:
    return fresh_database_url(SCHEMA)


def main() -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.departments import create_department
    from app.auth.roles import create_role
    from app.auth.scope import Scope
    from app.auth.tenants import create_tenant
    from app.auth.users import create_user
    from app.extensions import db
    from app.flows.definitions import create_flow, deploy_bpmn
    from app.forms.apps import create_app_record
    from app.forms.forms import create_form, publish
    from app.models import User

    url = database_url()
    instance = tempfile.mkdtemp(prefix="gs-bench-instance-")
    config = {"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench"}
    app = create_app({**config, "TESTING": True})
    dialect = "postgresql" if url.startswith("postgres") else "sqlite"
    print(f"GreenShelf flows bench on {dialect}: {INSTANCES} instances, {LOOPS} loops")
    with app.app_context():
        upgrade(directory=str(ROOT / "app/migrations"))
        tenant = create_tenant(db.session, "bench", "Bench", "admin", "admin-pass-123")
        admin = db.session.scalar(db.select(User).where(User.tenant_id == tenant.id))
        scope = Scope(db.session, tenant.id, admin)
        role = create_role(scope, {"name": "总监", "code": "director", "permissions": []})
        clerk_role = create_role(
            scope,
            {"name": "仓管", "code": "clerk", "permissions": ["records.read", "records.write"]},
        )

        def user(name: str, **fields):
            body = {"username": name, "display_name": name, "password": "bench-pass-123"}
            return create_user(scope, {**body, **fields})

        head = user("head")
        department = create_department(scope, {"name": "华东仓", "head_user_id": head.id})
        people = {
            "head": head,
            "director": user("director", role_ids=[role.id]),
            "clerk": user("clerk", department_id=department.id, role_ids=[clerk_role.id]),
        }
        app_id = create_app_record(scope, {"key": "bench", "label": {"zh": "基准"}}).id
        form = create_form(
            scope, app_id, {"key": "disposal", "label": {"zh": "处置"}, "draft": {"fields": FIELDS}}
        )
        publish(scope, form.id)
        flows = {}
        for key, xml in (("two_step", TWO_STEP), ("review_loop", LOOP)):
            flow = create_flow(scope, {"key": key, "name": key, "form_id": form.id})
            deploy_bpmn(scope, flow.id, xml)
            flows[key] = flow.id
        context = {
            "app": app,
            "config": config,
            "tenant_id": tenant.id,
            "people": {k: v.id for k, v in people.items()},
            "form_id": form.id,
            "flows": flows,
            "dialect": dialect,
            "url": url,
        }
        report = Report()
        report.add(
            "machine: load average, database round trip",
            f"{os.getloadavg()[0]:.1f}",
            f"SELECT 1 in {_round_trip() * 1000:.2f} ms",
            "figures scale with both",
        )
        for part, run in zip("abc", (bench_throughput, bench_growth, bench_http), strict=True):
            if part in PARTS:
                run(report, context)
        report.print(f"Summary ({dialect})")


# --- helpers shared by the parts -------------------------------------------------------


def _round_trip() -> float:
    from app.extensions import db

    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        started = time.perf_counter()
        for _ in range(100):
            conn.execute(text("SELECT 1"))
    return (time.perf_counter() - started) / 100


def _scope(ctx: dict, who: str):
    """A scope acting as one person (the acting user is read from the session's info)."""
    from app.auth.scope import Scope
    from app.extensions import db
    from app.models import User

    return Scope(db.session, ctx["tenant_id"], db.session.get(User, ctx["people"][who]))


def _records(ctx: dict, count: int, **values) -> list[int]:
    from app.forms.records import bulk_create_records

    rows = [{"batch_no": f"B{i}", "qty": 500, **values} for i in range(count)]
    return bulk_create_records(_scope(ctx, "clerk"), ctx["form_id"], rows)


def _open_seat(ctx: dict, instance_id: int) -> int:
    from app.extensions import db
    from app.models import FlowTask

    db.session.rollback()  # end the read snapshot: the server may have moved the flow on
    return db.session.scalar(
        db.select(FlowTask.id).where(
            FlowTask.instance_id == instance_id,
            FlowTask.status == "open",
            FlowTask.kind == "approval",
        )
    )


def _spec(ctx: dict, key: str) -> str:
    from app.extensions import db
    from app.models import FlowVersion

    return db.session.scalar(
        db.select(FlowVersion.spec).where(FlowVersion.definition_id == ctx["flows"][key])
    )


class NaiveStore:
    """The baseline: the whole serialized workflow, spec included, in one row per instance,
    read, rebuilt and rewritten at every step with a version check (bare SQL)."""

    def __init__(self, url: str, spec_json: str) -> None:
        self.engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with self.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS naive_flow_state"))
            conn.execute(
                text(
                    "CREATE TABLE naive_flow_state "
                    "(id INTEGER PRIMARY KEY, state TEXT NOT NULL, version INTEGER NOT NULL)"
                )
            )
        self.spec_json = spec_json
        self.next_id = 0

    def _save(self, conn, instance_id: int, workflow, version: int | None) -> None:
        from flow_engine.runtime import SERIALIZER

        state = json.dumps(SERIALIZER.to_dict(workflow))
        if version is None:
            conn.execute(
                text("INSERT INTO naive_flow_state (id, state, version) VALUES (:i, :s, 1)"),
                {"i": instance_id, "s": state},
            )
            return
        done = conn.execute(
            text(
                "UPDATE naive_flow_state SET state = :s, version = version + 1 "
                "WHERE id = :i AND version = :v"
            ),
            {"s": state, "i": instance_id, "v": version},
        )
        assert done.rowcount == 1

    def start(self, facts) -> int:
        from SpiffWorkflow.bpmn import BpmnWorkflow

        from flow_engine.runtime import SERIALIZER

        self.next_id += 1
        spec = SERIALIZER.from_dict(json.loads(self.spec_json))
        workflow = BpmnWorkflow(spec, script_engine=facts.engine())
        workflow.do_engine_steps()
        with self.engine.begin() as conn:
            self._save(conn, self.next_id, workflow, None)
        return self.next_id

    def approve(self, instance_id: int, facts) -> bool:
        """Complete the waiting user task; True when the workflow has finished."""
        from SpiffWorkflow.bpmn.specs.defaults import UserTask
        from SpiffWorkflow.util.task import TaskState

        from flow_engine.runtime import SERIALIZER

        with self.engine.begin() as conn:
            state, version = conn.execute(
                text("SELECT state, version FROM naive_flow_state WHERE id = :i"),
                {"i": instance_id},
            ).one()
            workflow = SERIALIZER.from_dict(json.loads(state))
            workflow.script_engine = facts.engine()
            [task] = [
                t
                for t in workflow.get_tasks(state=TaskState.READY)
                if isinstance(t.task_spec, UserTask)
            ]
            task.run()
            workflow.do_engine_steps()
            self._save(conn, instance_id, workflow, version)
        return workflow.completed


class StatementCount:
    """Counts the SQL statements the app's engine sends until ``stop``."""

    def __init__(self) -> None:
        from sqlalchemy import event

        from app.extensions import db

        self.count = 0
        self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1

    def stop(self) -> int:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._seen)
        return self.count


def _facts(**record):
    from flow_engine.runtime import Facts

    return Facts(record, {"qty": "integer", "note": "string"}, date(2026, 1, 15))


# --- (a) throughput --------------------------------------------------------------------


def bench_throughput(report: Report, ctx: dict) -> None:
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.specs.defaults import UserTask
    from SpiffWorkflow.util.task import TaskState

    from app.flows.instances import start_instance
    from app.flows.tasks import act
    from flow_engine.runtime import SERIALIZER

    print("(a) two-step approval, start to end", flush=True)
    flow_id = ctx["flows"]["two_step"]
    records = _records(ctx, INSTANCES + 20)
    spec_json = _spec(ctx, "two_step")

    def ours(record_id: int) -> None:
        instance = start_instance(_scope(ctx, "clerk"), flow_id, record_id)
        act(_scope(ctx, "head"), _open_seat(ctx, instance.id), "approve", {})
        act(_scope(ctx, "director"), _open_seat(ctx, instance.id), "approve", {})
        assert instance.status == "approved", instance.status

    for record_id in records[:20]:  # warm caches and connections
        ours(record_id)
    statements = StatementCount()
    started = time.perf_counter()
    for record_id in records[20:]:
        ours(record_id)
    ours_rate = INSTANCES / (time.perf_counter() - started)
    per_instance = statements.stop() / INSTANCES

    spec = SERIALIZER.from_dict(json.loads(spec_json))
    facts = _facts(qty=500)
    started = time.perf_counter()
    for _ in range(INSTANCES):
        workflow = BpmnWorkflow(spec, script_engine=facts.engine())
        workflow.do_engine_steps()
        while not workflow.completed:
            [task] = [
                t
                for t in workflow.get_tasks(state=TaskState.READY)
                if isinstance(t.task_spec, UserTask)
            ]
            task.run()
            workflow.do_engine_steps()
    raw_rate = INSTANCES / (time.perf_counter() - started)

    naive = NaiveStore(ctx["url"], spec_json)
    started = time.perf_counter()
    for _ in range(INSTANCES):
        instance_id = naive.start(facts)
        assert not naive.approve(instance_id, facts)
        assert naive.approve(instance_id, facts)
    naive_rate = INSTANCES / (time.perf_counter() - started)
    report.add(
        "(a) start + 2 approvals, saved every step",
        f"{ours_rate:,.0f} instances/s",
        f"raw in-memory SpiffWorkflow {raw_rate:,.0f}/s; naive whole-state {naive_rate:,.0f}/s",
        f"target >= 150/s; {ours_rate / naive_rate:.1f}x naive; "
        f"{per_instance:.0f} SQL statements per instance",
    )


# --- (b) growth ------------------------------------------------------------------------


def _halves(times: list[float]) -> tuple[float, float]:
    return statistics.mean(times[:50]), statistics.mean(times[-50:])


def bench_growth(report: Report, ctx: dict) -> None:
    from app.extensions import db
    from app.flows.instances import start_instance
    from app.flows.tasks import act
    from app.models import FlowInstance

    print(f"(b) one instance looping {LOOPS} times through a review task", flush=True)
    [record_id] = _records(ctx, 1, note="")
    instance = start_instance(_scope(ctx, "clerk"), ctx["flows"]["review_loop"], record_id)
    naive = NaiveStore(ctx["url"], _spec(ctx, "review_loop"))
    facts = _facts(note="")
    naive_id = naive.start(facts)
    # The two run step by step in turn, so a change in the machine's load hits both alike.
    times, naive_times, sizes = [], [], []
    for _ in range(LOOPS):
        seat = _open_seat(ctx, instance.id)
        started = time.perf_counter()
        act(_scope(ctx, "head"), seat, "approve", {})
        times.append(time.perf_counter() - started)
        sizes.append(len(db.session.get(FlowInstance, instance.id).state))
        started = time.perf_counter()
        naive.approve(naive_id, facts)
        naive_times.append(time.perf_counter() - started)
    first, last = _halves(times)
    naive_first, naive_last = _halves(naive_times)
    medians = statistics.median(times[-50:]) / statistics.median(times[:50])
    report.add(
        f"(b) {LOOPS}-round loop: last 50 / first 50 steps",
        f"{last / first:.2f}x ({first * 1000:.1f} -> {last * 1000:.1f} ms; medians {medians:.2f}x)",
        f"naive whole-state {naive_last / naive_first:.2f}x "
        f"({naive_first * 1000:.1f} -> {naive_last * 1000:.1f} ms)",
        f"target <= 2x; saved state {sizes[0]:,} -> {sizes[-1]:,} bytes",
    )


# --- (c) HTTP --------------------------------------------------------------------------


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
    instances = [start_instance(_scope(ctx, "clerk"), flow_id, r).id for r in _records(ctx, count)]
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
                seat = _open_seat(ctx, instance_id)
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


if __name__ == "__main__":
    main()
