"""The runtime saves and reloads state, goes back, ends, and never runs code; the approval
planner decides what one person's decision does."""

from __future__ import annotations

import json
from datetime import date

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.parser import BpmnParser

from engine_errors import Conflict, Forbidden, ValidationError
from flow_engine import approvals
from flow_engine.definitions import FormFacts, validate
from flow_engine.runtime import Facts, Flow, FlowError, dump_spec
from flow_engine.script_engine import ExpressionEngine, RefusedScript
from tests.flows_fixtures import two_step_bpmn

FORM = FormFacts("disposal", {"qty": "integer", "note": "string"}, frozenset())
TODAY = date(2026, 1, 1)


def _spec(condition: str | None = None) -> str:
    return validate(two_step_bpmn("disposal", condition), FORM).spec


def _facts(**record) -> Facts:
    return Facts(record, FORM.fields, TODAY)


def test_state_survives_a_save_and_load_without_the_spec():
    spec = _spec()
    flow = Flow.start(spec, _facts(qty=500))
    [manager] = flow.waiting()
    state = flow.dump()
    assert "task_specs" not in state  # the spec lives once per version
    loaded = Flow.load(spec, state, _facts(qty=500))
    assert loaded.waiting() == [manager]
    loaded.complete(manager.task_id)
    assert [w.node_id for w in loaded.waiting()] == ["director"]
    # Conditions read the record as it is now, not as it was at the start.
    fresh = Flow.load(spec, state, _facts(qty=5))
    fresh.complete(manager.task_id)
    assert fresh.finished


def test_return_and_cancel():
    flow = Flow.start(_spec(), _facts(qty=500))
    manager = flow.waiting()[0]
    flow.complete(manager.task_id)
    director = flow.waiting()[0]
    assert flow.previous_user_task(director.task_id) == manager
    flow.return_to(director.task_id, manager.task_id)
    assert [w.node_id for w in flow.waiting()] == ["manager"]
    assert flow.previous_user_task(flow.waiting()[0].task_id) is None
    flow.cancel()
    assert flow.finished and flow.waiting() == []


def test_acting_on_a_task_that_is_not_waiting_is_a_conflict():
    flow = Flow.start(_spec(), _facts(qty=1))
    task = flow.waiting()[0]
    flow.complete(task.task_id)
    with pytest.raises(Conflict):
        flow.complete(task.task_id)


def test_code_smuggled_past_deploy_still_does_not_run(tmp_path):
    """A spec built without our validation (say, a tampered row) meets the script engine."""
    marker = tmp_path / "pwned"
    payload = f"__import__('os').system('touch {marker}')"
    xml = two_step_bpmn("disposal").replace('{">": [{"var": "qty"}, 100]}', payload)
    parser = BpmnParser()
    parser.add_bpmn_xml(etree.fromstring(xml.encode()))
    spec = dump_spec(parser.get_spec("two_step"))
    flow = Flow.start(spec, _facts(qty=500))
    with pytest.raises(FlowError) as caught:
        flow.complete(flow.waiting()[0].task_id)
    assert "JSON expression" in caught.value.message
    assert not marker.exists()

    engine = ExpressionEngine({}, {}, TODAY)
    with pytest.raises(RefusedScript):
        engine.execute(None, payload)
    with pytest.raises(RefusedScript):
        engine.environment.evaluate(payload, {})
    with pytest.raises(RefusedScript):
        engine.environment.execute(payload, {})
    with pytest.raises(ValidationError):
        engine.evaluate(None, payload)
    with pytest.raises(ValidationError):
        engine.evaluate(None, json.dumps({"var": payload}))
    assert not marker.exists()


def _seats(*specs):
    return [
        approvals.Seat(i, task, user, status, mode)
        for i, (task, user, status, mode) in enumerate(specs, start=1)
    ]


def test_or_sign_first_decision_closes_the_others():
    a, b = _seats(("t", 10, "open", "any"), ("t", 11, "open", "any"))
    plan = approvals.plan(approvals.Decision("approve", 10), a, [a, b])
    assert plan.statuses == {1: "approved", 2: "cancelled"} and plan.complete == "t"


def test_countersign_waits_then_completes():
    a, b = _seats(("t", 10, "open", "all"), ("t", 11, "approved", "all"))
    first = approvals.plan(approvals.Decision("approve", 10), a, [a, b])
    assert first.complete == "t"
    a, b = _seats(("t", 10, "open", "all"), ("t", 11, "open", "all"))
    waiting = approvals.plan(approvals.Decision("approve", 10), a, [a, b])
    assert waiting.complete is None and waiting.statuses == {1: "approved"}
    assert approvals.plan(approvals.Decision("reject", 11), b, [a, b]).reject


def test_planner_refuses_closed_foreign_and_odd_decisions():
    a, b = _seats(("t", 10, "cancelled", "any"), ("t", 11, "open", "any"))
    with pytest.raises(Conflict):
        approvals.plan(approvals.Decision("approve", 10), a, [a, b])
    with pytest.raises(Forbidden):
        approvals.plan(approvals.Decision("approve", 10), b, [a, b])
    with pytest.raises(ValidationError):
        approvals.plan(approvals.Decision("delete", 11), b, [a, b])
    with pytest.raises(ValidationError):
        approvals.plan(approvals.Decision("transfer", 11, to_user=11), b, [a, b])
    c, d = _seats(("t", 10, "open", "any"), ("t", 11, "open", "any"))
    with pytest.raises(ValidationError):
        approvals.plan(approvals.Decision("transfer", 10, to_user=11), c, [c, d])
    assert approvals.plan(approvals.Decision("transfer", 10, to_user=12), c, [c, d]).transfer_to


def test_reconcile_finds_new_tasks_and_moot_seats():
    from flow_engine.runtime import Waiting

    waiting = [Waiting("t2", "n2", "N2"), Waiting("t3", "n3", "N3")]
    seats = _seats(("t1", 10, "open", "any"), ("t2", 10, "open", "any"))
    missing, moot = approvals.reconcile(waiting, seats)
    assert [w.task_id for w in missing] == ["t3"] and moot == [1]
