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
    """A scope acting as one person (the acting user is read from the session's info)."""
    from app.auth.scope import Scope
    from app.extensions import db
    from app.models import User

    return Scope(db.session, ctx["tenant_id"], db.session.get(User, ctx["people"][who]))


def make_records(ctx: dict, count: int, **values) -> list[int]:
    from app.forms.records import bulk_create_records

    rows = [{"batch_no": f"B{i}", "qty": 500, **values} for i in range(count)]
    return bulk_create_records(scope_of(ctx, "clerk"), ctx["form_id"], rows)


def open_seat(ctx: dict, instance_id: int) -> int:
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


def version_spec(ctx: dict, key: str) -> str:
    from app.extensions import db
    from app.models import FlowVersion

    return db.session.scalar(
        db.select(FlowVersion.spec).where(FlowVersion.definition_id == ctx["flows"][key])
    )


class StatementCount:
    """Counts the SQL statements the app's engine sends until ``stop``."""

    def __init__(self) -> None:
        from app.extensions import db

        self.count = 0
        self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1

    def stop(self) -> int:
        event.remove(self.engine, "before_cursor_execute", self._seen)
        return self.count


def facts(**record):
    """What the baselines' conditions read, like an instance of the bench's form."""
    from flow_engine.runtime import Facts

    return Facts(record, {"qty": "integer", "note": "string"}, date(2026, 1, 15))
