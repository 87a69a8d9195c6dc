"""The action registry checks inputs at deploy; stock allocation plans first expired first
out; held service tasks and timer events wait until the caller moves them on."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from flow_engine.actions import ActionContext, check_inputs, deferred_nodes, substitute
from flow_engine.definitions import FormFacts, validate
from flow_engine.runtime import Facts, Flow
from form_engine.stock import NotEnoughStock, plan

CTX = ActionContext(
    "request",
    {"sku": "string", "qty": "integer", "note": "string"},
    frozenset({"owner"}),
    forms={"stock": {"sku": "string", "qty": "integer", "expiry": "date"}},
    connectors={"erp": frozenset({"post_event"})},
    flows={"review": "stock"},
)


def test_inputs_get_their_defaults_and_unknown_actions_are_named():
    inputs, problems = check_inputs("notify", {"to": "initiator"}, CTX)
    assert problems == {} and inputs["channels"] == ["in_app"]
    _, problems = check_inputs("shell.run", {}, CTX)
    assert "Unknown action 'shell.run'" in problems["action"]


@pytest.mark.parametrize(
    "name, inputs, where",
    [
        ("stock.allocate", {"form": "stock", "field": "sku", "quantity": 1}, "inputs.field"),
        ("stock.allocate", {"form": "stock", "field": "qty", "quantity": "5"}, "inputs.quantity"),
        (
            "stock.allocate",
            {"form": "stock", "field": "qty", "quantity": {"var": "note"}},
            "inputs.quantity",
        ),
        (
            "stock.allocate",
            {"form": "stock", "field": "qty", "quantity": 1, "order_by": "-nope"},
            "inputs.order_by",
        ),
        ("record.update", {"form": "stock", "values": {"qty": 1}}, "inputs.record"),
        ("record.create", {"form": "stock", "values": {"qty": {"var": "nope"}}}, "inputs.values"),
        ("connector.call", {"connector": "erp", "action": "delete_all"}, "inputs.action"),
        ("flow.start", {"flow": "review", "values": {"note": "x"}}, "inputs.values"),
        ("notify", {"to": "initiator", "channels": ["pigeon"]}, "inputs.channels"),
        ("cc", {"to": "field:note"}, "inputs.to"),
    ],
)
def test_bad_inputs_are_named(name, inputs, where):
    _, problems = check_inputs(name, inputs, CTX)
    assert where in problems, problems


def test_record_placeholders_fill_conditions_and_payloads_without_evaluating():
    where = {"and": [{"==": [{"var": "sku"}, {"$record": "sku"}]}, {">": [{"var": "qty"}, 0]}]}
    _, problems = check_inputs(
        "stock.allocate",
        {
            "form": "stock",
            "field": "qty",
            "quantity": {"var": "qty"},
            "where": where,
            "order_by": "expiry",
        },
        CTX,
    )
    assert problems == {}
    filled = substitute(where, {"sku": "__import__('os').system('id')"})
    assert filled["and"][0] == {"==": [{"var": "sku"}, "__import__('os').system('id')"]}
    assert substitute({"d": {"$record": "day"}}, {"day": date(2027, 1, 2)}) == {"d": "2027-01-02"}


def test_stock_is_taken_in_order_and_never_below_zero():
    rows = [(1, Decimal(3)), (2, Decimal(4)), (3, Decimal(5))]
    assert plan(rows, Decimal(6)) == [(1, Decimal(3)), (2, Decimal(3))]
    assert plan(rows, Decimal(12)) == rows
    with pytest.raises(NotEnoughStock) as refused:
        plan(rows, Decimal(13))
    assert refused.value.details == {"needed": 13, "available": 12}


FORM = FormFacts("request", {"sku": "string", "qty": "integer"}, frozenset())
BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:gs="urn:greenshelf:bpmn:1" id="defs" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="mark"/>
    <bpmn:serviceTask id="mark" gs:action="record.update" gs:inputs='INPUTS'/>
    <bpmn:sequenceFlow id="f3" sourceRef="mark" targetRef="manager"/>
    <bpmn:userTask id="manager" gs:form="request" gs:assignee="initiator"/>
    <bpmn:sequenceFlow id="f4" sourceRef="manager" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>""".replace("INPUTS", json.dumps({"values": {"sku": "done"}}))


def test_a_delay_and_a_held_action_wait_for_the_caller():
    definition = validate(BPMN, FORM)
    assert definition.nodes["wait"]["duration"] == "PT1H"
    hold = deferred_nodes(definition.nodes)
    assert hold == {"mark"}
    facts = Facts({"sku": "a", "qty": 1}, FORM.fields, date(2026, 1, 1))
    flow = Flow.start(definition.spec, facts, hold)
    [timer] = flow.timers()
    assert timer.node_id == "wait" and timer.due
    flow = Flow.load(definition.spec, flow.dump(), facts, hold)
    assert flow.fire_timer(timer.task_id) and not flow.fire_timer(timer.task_id)
    [held] = flow.held()
    assert held.node_id == "mark" and flow.waiting() == [] and flow.fired == []
    flow = Flow.load(definition.spec, flow.dump(), facts, hold)
    flow.finish_service(held.task_id)
    assert [w.node_id for w in flow.waiting()] == ["manager"]


@pytest.mark.parametrize(
    "old, new, words",
    [
        (
            "<bpmn:timeDuration>PT1H</bpmn:timeDuration>",
            "<bpmn:timeDuration>__import__('os')</bpmn:timeDuration>",
            "not a duration",
        ),
        (
            "<bpmn:timeDuration>PT1H</bpmn:timeDuration>",
            "<bpmn:timeDate>2027-01-01</bpmn:timeDate>",
            "not a date",
        ),
        ('gs:action="record.update"', 'gs:action="os.system"', "Unknown action"),
    ],
)
def test_bad_timers_and_actions_are_refused(old, new, words):
    from engine_errors import ValidationError

    with pytest.raises(ValidationError) as refused:
        validate(BPMN.replace(old, new), FORM)
    assert words in json.dumps(refused.value.errors)
