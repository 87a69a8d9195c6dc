"""Deploying flows: validation a designer can act on, immutable versions, instances that stay
on the version they started with."""

from __future__ import annotations

import pytest

from tests.flows_fixtures import (
    DISPOSAL_TREE,
    Org,
    act,
    add_record,
    disposal_form,
    instance,
    make_flow,
    start,
    todo,
    two_step_bpmn,
)


def _deploy(client, flow, status=201, **body):
    response = client.post(f"/api/v1/flows/{flow['id']}/versions", json=body)
    assert response.status_code == status, response.json
    return response.json


def test_each_deploy_is_a_new_version_and_running_instances_keep_theirs(tenant):
    org = Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form)
    admin = tenant.admin
    first = _deploy(admin, flow, bpmn=two_step_bpmn(form["key"]))
    assert first["version"] == 1 and first["simple"] is False
    clerk = org.client("clerk")
    old = start(clerk, flow, add_record(clerk, form, qty=500))

    # Version 2 sends everything to the director, whatever the quantity.
    second = _deploy(admin, flow, bpmn=two_step_bpmn(form["key"], condition="true"))
    assert second["version"] == 2
    assert admin.get(f"/api/v1/flows/{flow['id']}").json["latest_version"] == 2
    versions = admin.get(f"/api/v1/flows/{flow['id']}/versions").json["items"]
    assert [v["version"] for v in versions] == [1, 2]
    again = admin.get(f"/api/v1/flows/{flow['id']}/versions/1").json
    assert again["bpmn"] == two_step_bpmn(form["key"])  # unchanged, byte for byte

    new = start(clerk, flow, add_record(clerk, form, qty=1))
    assert instance(clerk, old["id"])["version"] == 1
    assert instance(clerk, new["id"])["version"] == 2
    head = org.client("head")
    for task in todo(head):
        act(head, task, "approve")
    # qty=1 reaches the director only under version 2; qty=500 under both.
    assert {t["instance_id"] for t in todo(org.client("director"))} == {old["id"], new["id"]}


def test_the_simple_designer_tree_is_kept_beside_its_bpmn(tenant):
    Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, tree=DISPOSAL_TREE)
    version = tenant.admin.get(f"/api/v1/flows/{flow['id']}/versions/1").json
    assert version["simple"] is True and version["tree"] == DISPOSAL_TREE
    assert "<bpmndi:BPMNDiagram" in version["bpmn"]
    assert version["nodes"]["east_director"]["assignee"] == "role:east_sales_director"
    compiled = tenant.admin.post(
        f"/api/v1/flows/{flow['id']}/compile", json={"tree": DISPOSAL_TREE}
    ).json
    assert compiled["bpmn"] == version["bpmn"]


@pytest.mark.parametrize(
    "extra, where, words",
    [
        ({"gs:form": None}, "manager", "gs:form"),
        ({"gs:form": "other_form"}, "manager", "bound to"),
        ({"gs:assignee": None}, "manager", "approver is required"),
        ({"gs:assignee": "boss"}, "manager", "not an assignment"),
        ({"gs:assignee": "role:no_such_role"}, "manager", "no role"),
        ({"gs:assignee": "user:nobody"}, "manager", "No active user"),
        ({"gs:assignee": "field:qty"}, "manager", "no user field"),
        ({"gs:mode": "most"}, "manager", "gs:mode"),
    ],
)
def test_a_broken_user_task_is_refused_with_its_id(tenant, extra, where, words):
    Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form)
    response = _deploy(tenant.admin, flow, 422, bpmn=two_step_bpmn(form["key"], **extra))
    assert response["code"] == "validation_error"
    assert where in response["errors"]
    assert words in " ".join(response["errors"][where]), response
    assert tenant.admin.get(f"/api/v1/flows/{flow['id']}/versions").json["items"] == []


@pytest.mark.parametrize(
    "condition, words",
    [
        ("qty > 100", "JSON expression"),
        ('{">": [{"var": "weight"}, 100]}', "weight"),
        ('{"+": [{"var": "qty"}, 1]}', "true or false"),
        ('{">": [{"var": "note"}, 1]}', ""),
        # a flow sees the record's values, never its alerts: the level would always be green
        ('{"==": [{"alert_level": "expiry"}, "red"]}', "form linkage and flow conditions"),
    ],
)
def test_gateway_conditions_must_compile_against_the_form(tenant, condition, words):
    Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form)
    response = _deploy(tenant.admin, flow, 422, bpmn=two_step_bpmn(form["key"], condition))
    assert "f3" in response["errors"]
    assert words in " ".join(response["errors"]["f3"])


def test_tree_errors_point_at_the_designer_node(tenant):
    Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form)
    tree = {
        "type": "initiator",
        "child": {
            "type": "branch",
            "branches": [
                {"condition": {"==": [{"var": "colour"}, "A"]}, "child": None},
                {"condition": None, "child": {"type": "approver", "assignee": "role:ghost"}},
            ],
        },
    }
    response = _deploy(tenant.admin, flow, 422, tree=tree)
    assert "tree.child.branches.0.condition" in response["errors"]
    assert "tree.child.branches.1.child" in response["errors"]
    shape = _deploy(tenant.admin, flow, 422, tree={"type": "approver"})
    assert shape["errors"]
    both = _deploy(tenant.admin, flow, 422, tree=DISPOSAL_TREE, bpmn="<x/>")
    assert both["code"] == "validation_error"


def test_only_designers_deploy_and_a_flow_starts_once_deployed(tenant):
    org = Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form)
    clerk = org.client("clerk")
    assert (
        clerk.post(f"/api/v1/flows/{flow['id']}/versions", json={"tree": DISPOSAL_TREE}).status_code
        == 403
    )
    assert (
        clerk.post(
            "/api/v1/flows", json={"key": "x", "name": "x", "form_id": form["id"]}
        ).status_code
        == 403
    )
    response = start(clerk, flow, add_record(clerk, form), status=409)
    assert response["code"] == "flow_not_deployed"
    taken = tenant.admin.post(
        "/api/v1/flows", json={"key": flow["key"], "name": "again", "form_id": form["id"]}
    )
    assert taken.status_code == 409


def test_empty_approver_policy(tenant):
    org = Org(tenant)
    form = disposal_form(tenant)
    refuse = make_flow(
        tenant, form, bpmn=two_step_bpmn(form["key"], **{"gs:assignee": "field:owner"})
    )
    clerk = org.client("clerk")
    record = add_record(clerk, form)  # nobody in the owner field
    response = start(clerk, refuse, record, status=422)
    assert response["code"] == "no_approver" and "Manager" in response["message"]
    assert clerk.get("/api/v1/flow-instances").json["total"] == 0

    auto = make_flow(
        tenant,
        form,
        bpmn=two_step_bpmn(
            form["key"], **{"gs:assignee": "field:owner", "gs:empty": "auto_approve"}
        ),
    )
    started = start(clerk, auto, record)
    detail = instance(clerk, started["id"])
    assert detail["status"] == "approved"
    assert [e["action"] for e in detail["events"]] == ["start", "auto_approve", "finish"]

    owned = add_record(clerk, form, owner=org.ids["marketer"])
    start(clerk, refuse, owned)
    assert [t["node_id"] for t in todo(org.client("marketer"))] == ["manager"]


def test_a_record_no_branch_accepts_gets_a_clear_error_and_nothing_is_lost(tenant):
    org = Org(tenant)
    form = disposal_form(tenant)
    bpmn = two_step_bpmn(form["key"]).replace(' default="f4"', "")
    bpmn = bpmn.replace(
        '<bpmn:sequenceFlow id="f4" sourceRef="big" targetRef="end"/>',
        '<bpmn:sequenceFlow id="f4" sourceRef="big" targetRef="end">'
        '<bpmn:conditionExpression>{"&lt;": [{"var": "qty"}, 10]}</bpmn:conditionExpression>'
        "</bpmn:sequenceFlow>",
    )
    flow = make_flow(tenant, form, bpmn=bpmn)
    clerk = org.client("clerk")
    record = add_record(clerk, form, qty=50)  # neither > 100 nor < 10
    started = start(clerk, flow, record)
    head = org.client("head")
    response = act(head, todo(head)[0], "approve", status=422)
    assert response["code"] == "flow_error"
    assert len(todo(head)) == 1  # still waiting, nothing lost
    assert instance(clerk, started["id"])["status"] == "running"


@pytest.mark.parametrize("reserved", ["End", "Start", "Root"])
def test_engine_names_are_reserved(tenant, reserved):
    Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form)
    bpmn = two_step_bpmn(form["key"]).replace('"end"', f'"{reserved}"')
    response = _deploy(tenant.admin, flow, 422, bpmn=bpmn)
    assert reserved in response["errors"]


def test_a_flow_that_would_approve_itself_forever_is_stopped(tenant):
    org = Org(tenant)
    form = disposal_form(tenant)
    bpmn = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:gs="urn:greenshelf:bpmn:1" id="d" targetNamespace="x">
  <bpmn:process id="loop" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
    <bpmn:userTask id="check" gs:form="{form["key"]}" gs:assignee="field:owner"
        gs:empty="auto_approve"/>
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="again"/>
    <bpmn:exclusiveGateway id="again" default="f4"/>
    <bpmn:sequenceFlow id="f3" sourceRef="again" targetRef="check">
      <bpmn:conditionExpression>{{"&gt;": [{{"var": "qty"}}, 0]}}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="again" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>"""
    flow = make_flow(tenant, form, bpmn=bpmn)
    clerk = org.client("clerk")
    response = start(clerk, flow, add_record(clerk, form, qty=1), status=422)
    assert response["code"] == "flow_error"
    assert clerk.get("/api/v1/flow-instances").json["total"] == 0
    finished = start(clerk, flow, add_record(clerk, form, qty=0))
    assert instance(clerk, finished["id"])["status"] == "approved"
