"""The simple designer's tree compiles to BPMN that validates, runs as drawn, and carries a
diagram bpmn-js can open."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from lxml import etree

from engine_errors import ValidationError
from flow_engine.definitions import BPMN_NS, BPMNDI_NS, FormFacts, validate
from flow_engine.runtime import Facts, Flow
from flow_engine.simple_designer import compile_tree
from tests.flows_fixtures import DISPOSAL_TREE

FORM = FormFacts("disposal", {"category": "string", "level": "string"}, frozenset({"owner"}))


def _run(xml: str, record: dict) -> tuple[list[str], list[str]]:
    """(user tasks in the order they waited, service tasks that ran) approving everything."""
    definition = validate(xml, FORM)
    flow = Flow.start(definition.spec, Facts(record, FORM.fields, date(2026, 1, 1)))
    waited = []
    while flow.waiting():
        task = flow.waiting()[0]
        waited.append(task.node_id)
        flow.complete(task.task_id)
    assert flow.finished
    return waited, flow.fired


@pytest.mark.parametrize(
    "record, waited, fired",
    [
        ({"category": "A", "level": "red"}, ["manager", "east_director"], ["cc_1"]),
        ({"category": "A", "level": "yellow"}, ["manager"], ["cc_1"]),
        ({"category": "B", "level": None}, ["manager", "employee_purchase"], ["action_1", "cc_1"]),
    ],
)
def test_the_disposal_example_routes_by_category_and_level(record, waited, fired):
    compiled = compile_tree(DISPOSAL_TREE, "disposal", "flow_disposal", "临期处置")
    assert _run(compiled.xml, record) == (waited, fired)


def test_every_element_is_drawn_inside_the_canvas_without_overlaps():
    root = etree.fromstring(compile_tree(DISPOSAL_TREE, "disposal", "p", "n").xml.encode())
    process = root.find(f"{{{BPMN_NS}}}process")
    plane = root.find(f"{{{BPMNDI_NS}}}BPMNDiagram/{{{BPMNDI_NS}}}BPMNPlane")
    assert plane.get("bpmnElement") == "p"
    drawn = {s.get("bpmnElement"): s for s in plane}
    flows = [e.get("id") for e in process if etree.QName(e).localname == "sequenceFlow"]
    nodes = [e.get("id") for e in process if etree.QName(e).localname != "sequenceFlow"]
    assert set(drawn) == set(flows) | set(nodes)
    boxes = []
    for node in nodes:
        bounds = drawn[node][0]
        x, y, w, h = (float(bounds.get(k)) for k in ("x", "y", "width", "height"))
        assert x >= 0 and y >= 0
        boxes.append((x, y, x + w, y + h))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    for flow in flows:
        points = drawn[flow].findall("{http://www.omg.org/spec/DD/20100524/DI}waypoint")
        assert len(points) >= 2
        for p, q in zip(points, points[1:], strict=False):  # only straight segments
            assert p.get("x") == q.get("x") or p.get("y") == q.get("y")


def test_parallel_branches_all_run_before_the_flow_goes_on():
    tree = {
        "type": "initiator",
        "child": {
            "type": "parallel",
            "branches": [
                {"child": {"type": "approver", "id": "quality", "assignee": "initiator"}},
                {"child": {"type": "approver", "id": "finance", "assignee": "initiator"}},
            ],
            "child": {"type": "approver", "id": "final", "assignee": "initiator"},
        },
    }
    waited, _ = _run(compile_tree(tree, "disposal", "p", "n").xml, {})
    assert sorted(waited[:2]) == ["finance", "quality"] and waited[2] == "final"


@pytest.mark.parametrize(
    "change, path",
    [
        (lambda t: t.update(type="approver"), "type"),
        (lambda t: t["child"].update(type="wait"), "tree.child.type"),
        (lambda t: t["child"].update(assignee=None), "tree.child.assignee"),
        (lambda t: t["child"].update(mode="some"), "tree.child.mode"),
        (lambda t: t["child"].update(id="east_director"), "tree.child.child.branches.0.child.id"),
        (lambda t: t["child"].update(id="1bad"), "tree.child.id"),
        (lambda t: t["child"]["child"].update(branches=[]), "tree.child.child.branches"),
        (
            lambda t: (
                t["child"]["child"]["branches"][0].update(condition=None)
                or t["child"]["child"]["branches"][1].update(condition=None)
            ),
            "tree.child.child.branches",
        ),
        (
            lambda t: t["child"]["child"]["branches"][0].update(condition="x > 1"),
            "tree.child.child.branches.0.condition",
        ),
        (
            lambda t: t["child"]["child"]["child"].update(child={"type": "end", "child": {}}),
            "tree.child.child.child.child",
        ),
    ],
)
def test_tree_mistakes_are_reported_at_their_path(change, path):
    tree = copy.deepcopy(DISPOSAL_TREE)
    change(tree)
    with pytest.raises(ValidationError) as caught:
        compile_tree(tree, "disposal", "p", "n")
    assert path in caught.value.errors, caught.value.errors
