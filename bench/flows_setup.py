"""What the flows bench runs on: its settings, its two flow definitions, and the helpers
its parts share (acting as someone, making records, finding the open seat, counting SQL).
Nothing here measures."""

from __future__ import annotations

import os
import time
from datetime import date

from sqlalchemy import event, text

from bench.database import fresh_database_url

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


def round_trip() -> float:
    """Seconds per ``SELECT 1`` on the app's engine."""
    from app.extensions import db

    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        started = time.perf_counter()
        for _ in range(100):
            conn.execute(text("SELECT 1"))
    return (time.perf_counter() - started) / 100


def scope_of(ctx: dict, who: str):
    """A scope acting as one person. Like a request's signed-in user, the person is read
    once (with roles) and handed to each call, not read again by every use case."""
    from app.auth.scope import Scope
    from app.extensions import db
    from app.models import User

    users = ctx.setdefault("users", {})
    if who not in users:
        user = db.session.get(User, ctx["people"][who])
        for loaded in (*user.roles, user.tenant, user):  # they outlive the session's commits
            db.session.expunge(loaded)
        users[who] = user
    return Scope(db.session, ctx["tenant_id"], users[who])


def make_records(ctx: dict, count: int, **values) -> list[int]:
    from app.forms.records import bulk_create_records

    rows = [{"batch_no": f"B{i}", "qty": 500, **values} for i in range(count)]
    return bulk_create_records(scope_of(ctx, "clerk"), ctx["form_id"], rows)


def open_seat(ctx: dict, instance_id: int, elsewhere: bool = False) -> int:
    """The instance's open approval seat, as an inbox shows it. With ``elsewhere`` (another
    process moved the flow on) the session's read snapshot ends first."""
    from app.extensions import db
    from app.models import FlowTask

    if elsewhere:
        db.session.rollback()
    return db.session.scalar(
        db.select(FlowTask.id).where(
            FlowTask.instance_id == instance_id,
            FlowTask.status == "open",
            FlowTask.kind == "approval",
        )
    )


def analyze() -> None:
    """Gather the planner's statistics, as autovacuum does on a running system: a bench
    that fills empty tables within seconds would otherwise be planned as if they were
    empty (and, on PostgreSQL, scan them whole where an index serves)."""
    from app.extensions import db

    db.session.commit()
    bind = db.session.get_bind()
    with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


def finished(ctx: dict, record_ids: list[int]) -> int:
    """How many of the records' flows ended approved."""
    from app.extensions import db
    from app.models import FlowInstance

    return db.session.scalar(
        db.select(db.func.count()).where(
            FlowInstance.form_id == ctx["form_id"],
            FlowInstance.record_id.in_(record_ids),
            FlowInstance.status == "approved",
        )
    )


def version_spec(ctx: dict, key: str) -> str:
    from app.extensions import db
    from app.models import FlowVersion

    return db.session.scalar(
        db.select(FlowVersion.spec).where(FlowVersion.definition_id == ctx["flows"][key])
    )


class DatabaseClock:
    """Counts the SQL statements an engine (the app's, unless told) sends until ``stop``,
    and the time spent waiting on the database: in the driver's execute calls and in its
    commits. That time is a floor no Python-side work can lower."""

    def __init__(self, engine=None) -> None:
        from app.extensions import db

        self.count = 0
        self.seconds = 0.0
        self.engine = engine if engine is not None else db.engine
        self.started = 0.0
        dialect = self.engine.dialect
        self.plain_commit = dialect.do_commit

        def timed_commit(dbapi_connection) -> None:
            started = time.perf_counter()
            self.plain_commit(dbapi_connection)
            self.seconds += time.perf_counter() - started

        dialect.do_commit = timed_commit
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)

    def _before(self, *_args) -> None:
        self.count += 1
        self.started = time.perf_counter()

    def _after(self, *_args) -> None:
        self.seconds += time.perf_counter() - self.started

    def stop(self) -> tuple[int, float]:
        """The statements sent and the seconds spent waiting on the database."""
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)
        del self.engine.dialect.do_commit  # the class's own again
        return self.count, self.seconds


def facts(**record):
    """What the baselines' conditions read, like an instance of the bench's form."""
    from flow_engine.runtime import Facts

    return Facts(record, {"qty": "integer", "note": "string"}, date(2026, 1, 15))
