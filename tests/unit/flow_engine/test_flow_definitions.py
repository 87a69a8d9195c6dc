"""Deploy-time validation of BPMN: what is refused, and where the message points."""

from __future__ import annotations

import pytest

from engine_errors import ValidationError
from flow_engine.definitions import MAX_XML_BYTES, Catalogue, FormFacts, validate
from tests.flows_fixtures import two_step_bpmn

FORM = FormFacts("disposal", {"qty": "integer", "note": "string"}, frozenset({"owner"}))
ROLES = Catalogue(roles=frozenset({"east_sales_director"}))


def _errors(xml: str) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        validate(xml, FORM, ROLES)
    return caught.value.errors or {"_": [caught.value.message]}


def test_a_valid_flow_yields_its_nodes_and_a_spec():
    definition = validate(two_step_bpmn("disposal"), FORM, ROLES)
    assert definition.process_id == "two_step" and definition.name == "Two steps"
    manager = definition.nodes["manager"]
    assert manager == {
        "type": "userTask",
        "name": "Manager",
        "form": "disposal",
        "assignee": "dept_head",
        "mode": "any",
        "empty": "refuse",
    }
    assert definition.nodes["big"]["type"] == "exclusiveGateway"
    assert '"two_step"' in definition.spec


def _swap(old: str, new: str) -> str:
    xml = two_step_bpmn("disposal")
    assert old in xml
    return xml.replace(old, new)


@pytest.mark.parametrize(
    "old, new, where, words",
    [
        (
            '<bpmn:endEvent id="end"/>',
            '<bpmn:endEvent id="end"><bpmn:timerEventDefinition/></bpmn:endEvent>',
            "end",
            "Timer",
        ),
        (
            '<bpmn:exclusiveGateway id="big" default="f4"/>',
            '<bpmn:inclusiveGateway id="big" default="f4"/>',
            "big",
            "not supported",
        ),
        (
            '<bpmn:exclusiveGateway id="big" default="f4"/>',
            '<bpmn:exclusiveGateway id="big"/>',
            "f4",
            "needs a condition",
        ),
        ('isExecutable="true"', 'isExecutable="false"', "two_step", "executable"),
        (
            '<bpmn:startEvent id="start"/>',
            '<bpmn:startEvent id="start"/><bpmn:startEvent id="s2"/>',
            "two_step",
            "exactly one start",
        ),
        (
            'sourceRef="start" targetRef="manager"/>',
            'sourceRef="start" targetRef="manager"><bpmn:conditionExpression>true'
            "</bpmn:conditionExpression></bpmn:sequenceFlow>",
            "f1",
            "exclusive gateway",
        ),
    ],
)
def test_unsupported_shapes_are_named(old, new, where, words):
    errors = _errors(_swap(old, new))
    assert where in errors, errors
    assert words in " ".join(errors[where])


@pytest.mark.parametrize(
    "xml, words",
    [
        ("not xml at all", "well-formed"),
        ("<root/>", "not a BPMN"),
        (
            two_step_bpmn("disposal").replace(
                "</bpmn:definitions>", "<bpmn:process id='q'/></bpmn:definitions>"
            ),
            "exactly one process",
        ),
        ("<x>" + " " * MAX_XML_BYTES + "</x>", "larger"),
    ],
)
def test_documents_that_are_not_one_bpmn_process(xml, words):
    with pytest.raises(ValidationError) as caught:
        validate(xml, FORM, ROLES)
    assert words in caught.value.message


def test_every_problem_is_reported_at_once():
    xml = two_step_bpmn("other", '{">": [{"var": "nope"}, 1]}', **{"gs:assignee": "field:qty"})
    errors = _errors(xml)
    assert set(errors) == {"manager", "director", "f3"}
    assert len(errors["manager"]) == 2
