"""Pruning keeps an instance's saved state as small as its live part, however long it runs,
without changing what the flow does next."""

from __future__ import annotations

from datetime import date

from flow_engine.definitions import FormFacts, validate
from flow_engine.runtime import Facts, Flow

FORM = FormFacts("disposal", {"qty": "integer", "note": "string"}, frozenset())
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:gs="urn:greenshelf:bpmn:1" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="p" isExecutable="true">
"""
TAIL = "  </bpmn:process>\n</bpmn:definitions>\n"


def _task(node_id: str) -> str:
    return f'<bpmn:userTask id="{node_id}" gs:form="disposal" gs:assignee="initiator"/>'


def _flow(source: str, target: str, name: str, condition: str | None = None) -> str:
    if condition is None:
        return f'<bpmn:sequenceFlow id="{name}" sourceRef="{source}" targetRef="{target}"/>'
    return (
        f'<bpmn:sequenceFlow id="{name}" sourceRef="{source}" targetRef="{target}">'
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"><![CDATA[{condition}]]>'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>"
    )


# submit -> review -> (note == "done" ? end : back to review)
LOOP = (
    HEAD
    + "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            _task("submit"),
            _task("review"),
            '<bpmn:exclusiveGateway id="done" default="again"/>',
            '<bpmn:endEvent id="end"/>',
            _flow("start", "submit", "f1"),
            _flow("submit", "review", "f2"),
            _flow("review", "done", "f3"),
            _flow("done", "end", "out", '{"==": [{"var": "note"}, "done"]}'),
            _flow("done", "review", "again"),
        ]
    )
    + TAIL
)

# start -> fork -> (left, right) -> join -> last -> end
PARALLEL = (
    HEAD
    + "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            '<bpmn:parallelGateway id="fork"/>',
            _task("left"),
            _task("right"),
            '<bpmn:parallelGateway id="join"/>',
            _task("last"),
            '<bpmn:endEvent id="end"/>',
            _flow("start", "fork", "f1"),
            _flow("fork", "left", "f2"),
            _flow("fork", "right", "f3"),
            _flow("left", "join", "f4"),
            _flow("right", "join", "f5"),
            _flow("join", "last", "f6"),
            _flow("last", "end", "f7"),
        ]
    )
    + TAIL
)


def _facts(note: str = "") -> Facts:
    return Facts({"note": note}, FORM.fields, date(2026, 1, 1))


def _step(spec: str, state: str, node_id: str, note: str = "") -> tuple[Flow, str]:
    """Load, complete the one waiting task at ``node_id``, save: one step of a request."""
    flow = Flow.load(spec, state, _facts(note))
    [task] = [w for w in flow.waiting() if w.node_id == node_id]
    flow.complete(task.task_id)
    return flow, flow.dump()


def test_a_500_round_loop_keeps_a_flat_state_and_ends_only_on_its_exit_condition():
    spec = validate(LOOP, FORM).spec
    flow = Flow.start(spec, _facts())
    flow, state = _step(spec, flow.dump(), "submit")
    sizes, passed = [], []
    for _ in range(500):
        flow, state = _step(spec, state, "review")
        assert not flow.finished
        assert [w.node_id for w in flow.waiting()] == ["review"]
        sizes.append(len(state))
        passed.append([p.node_id for p in flow.passed])
    assert max(sizes[-50:]) <= max(sizes[:50]) * 1.05  # the state does not grow
    # Each round leaves the same completed steps behind, each exactly once.
    assert all(steps == ["review", "done"] for steps in passed[5:])
    flow, state = _step(spec, state, "review", note="done")
    assert flow.finished and flow.waiting() == []


def test_after_many_rounds_the_flow_can_still_go_back_to_any_earlier_step():
    spec = validate(LOOP, FORM).spec
    flow = Flow.start(spec, _facts())
    flow, state = _step(spec, flow.dump(), "submit")
    for _ in range(50):
        flow, state = _step(spec, state, "review")
    flow = Flow.load(spec, state, _facts())
    [review] = flow.waiting()
    assert [w.node_id for w in flow.earlier_user_tasks(review.task_id)] == ["review", "submit"]
    submit = flow.earlier_user_tasks(review.task_id)[-1]
    flow.return_to(review.task_id, submit.task_id)
    assert [w.node_id for w in flow.waiting()] == ["submit"]
    flow, state = _step(spec, flow.dump(), "submit")
    flow, state = _step(spec, state, "review", note="done")
    assert flow.finished


def test_a_parallel_join_still_waits_for_every_branch_across_saves():
    spec = validate(PARALLEL, FORM).spec
    state = Flow.start(spec, _facts()).dump()
    assert sorted(w.node_id for w in Flow.load(spec, state, _facts()).waiting()) == [
        "left",
        "right",
    ]
    flow, state = _step(spec, state, "left")
    assert [w.node_id for w in flow.waiting()] == ["right"]
    flow, state = _step(spec, state, "right")
    assert [w.node_id for w in flow.waiting()] == ["last"]
    assert {"fork", "left"} <= {p.node_id for p in flow.passed}
    flow, state = _step(spec, state, "last")
    assert flow.finished
