"""Service actions are checked when a flow is deployed, and a flow can start on its own
when a record of its form is submitted."""

from __future__ import annotations

import pytest

from tests.flows_fixtures import Org, todo
from tests.flows_services_fixtures import action, add, approver, flow_with, request_form, stock_form


@pytest.fixture
def forms(tenant):
    return request_form(tenant), stock_form(tenant)


def _deploy(tenant, form: dict, chain: dict, **headers):
    admin = tenant.admin
    flow = admin.post("/api/v1/flows", json={"key": "bad", "name": "x", "form_id": form["id"]})
    assert flow.status_code == 201, flow.json
    return admin.post(
        f"/api/v1/flows/{flow.json['id']}/versions",
        json={"tree": {"type": "initiator", "child": chain}},
        headers=headers,
    )


def _allocate(stock: dict, **changes) -> dict:
    inputs = {"form": stock["key"], "field": "qty", "quantity": 1, "order_by": "expiry"}
    return {**inputs, **changes}


@pytest.mark.parametrize(
    "chain, where, words",
    [
        (
            lambda stock: action("stock.allocate", _allocate(stock)) | {"action": "stock.steal"},
            "tree.child",
            "Unknown action 'stock.steal'",
        ),
        (
            lambda stock: action("stock.allocate", _allocate(stock, field="qtty")),
            "tree.child.inputs.field",
            "no field 'qtty'",
        ),
        (
            lambda stock: action("stock.allocate", _allocate(stock, field="sku")),
            "tree.child.inputs.field",
            "not a number field",
        ),
        (
            lambda stock: action("stock.allocate", _allocate(stock, quantity=-2)),
            "tree.child.inputs.quantity",
            "positive",
        ),
        (
            lambda stock: action("stock.allocate", _allocate(stock, where={"var": "nope"})),
            "tree.child.inputs.where",
            "nope",
        ),
        (
            lambda stock: action("stock.allocate", _allocate(stock, where={"$record": "nope"})),
            "tree.child.inputs.where",
            "no such field",
        ),
        (
            lambda stock: approver(action("record.create", {"form": "ghost", "values": {"a": 1}})),
            "tree.child.child.inputs.form",
            "No published form 'ghost'",
        ),
        (
            lambda stock: action("record.update", {"values": {"colour": "red"}}),
            "tree.child.inputs.values",
            "no field 'colour'",
        ),
        (
            lambda stock: action("connector.call", {"connector": "erp", "action": "post"}),
            "tree.child.inputs.connector",
            "No connector 'erp'",
        ),
        (
            lambda stock: action("flow.start", {"flow": "ghost"}),
            "tree.child.inputs.flow",
            "No flow 'ghost'",
        ),
        (
            lambda stock: action("notify", {"message": "hi"}),
            "tree.child.inputs.to",
            "Required",
        ),
        (
            lambda stock: action("notify", {"to": "initiator", "colour": "red"}),
            "tree.child.inputs.colour",
            "takes no input",
        ),
    ],
)
def test_bad_actions_are_refused_at_deploy_naming_the_node_and_input(
    tenant, forms, chain, where, words
):
    form, stock = forms
    response = _deploy(tenant, form, chain(stock))
    assert response.status_code == 422, response.json
    assert words in " ".join(response.json["errors"].get(where, [])), response.json


def test_deploy_errors_are_in_chinese_for_a_chinese_console(tenant, forms):
    form, stock = forms
    chain = action("stock.allocate", _allocate(stock, field="qtty"))
    response = _deploy(tenant, form, chain, **{"Accept-Language": "zh-CN"})
    assert response.status_code == 422
    assert response.json["errors"]["tree.child.inputs.field"] == ["表单没有字段“qtty”。"]


def test_bpmn_inputs_must_be_json(tenant, forms):
    form, _ = forms
    admin = tenant.admin
    flow = admin.post("/api/v1/flows", json={"key": "raw", "name": "x", "form_id": form["id"]})
    bpmn = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:gs="urn:greenshelf:bpmn:1" id="defs" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="take"/>
    <bpmn:serviceTask id="take" gs:action="record.update" gs:inputs="{{values: 1}}"/>
    <bpmn:sequenceFlow id="f2" sourceRef="take" targetRef="manager"/>
    <bpmn:userTask id="manager" gs:form="{form["key"]}" gs:assignee="initiator"/>
    <bpmn:sequenceFlow id="f3" sourceRef="manager" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>"""
    response = admin.post(f"/api/v1/flows/{flow.json['id']}/versions", json={"bpmn": bpmn})
    assert response.status_code == 422
    assert response.json["errors"] == {"take.inputs": ["gs:inputs must be a JSON object."]}


def test_submitting_a_record_starts_the_flow_set_to_start_on_submit(tenant, forms):
    org = Org(tenant)
    form, _ = forms
    clerk, admin = org.client("clerk"), tenant.admin
    flow = flow_with(tenant, form, approver())
    assert admin.get(f"/api/v1/flows/{flow['id']}/triggers").json["on_submit"] is False
    before = add(clerk, form, sku="A-0", qty=1)
    assert before["_flow_instance_id"] is None

    on = _put(admin, f"/api/v1/flows/{flow['id']}/triggers", json={"on_submit": True})
    assert on.status_code == 200 and on.json == {"flow_id": flow["id"], "on_submit": True}
    submitted = add(clerk, form, sku="A-1", qty=2)
    [task] = todo(org.client("head"))
    assert task["record_id"] == submitted["id"]
    assert task["instance_id"] == submitted["_flow_instance_id"]
    assert task["initiator_id"] == org.ids["clerk"]

    other = flow_with(tenant, form, approver())
    taken = _put(admin, f"/api/v1/flows/{other['id']}/triggers", json={"on_submit": True})
    assert taken.status_code == 409 and "on_submit" in taken.json["errors"]
    bad = _put(admin, f"/api/v1/flows/{flow['id']}/triggers", json={"on_submit": "often"})
    assert bad.status_code == 422 and "on_submit" in bad.json["errors"]
    refused = _put(clerk, f"/api/v1/flows/{flow['id']}/triggers", json={"on_submit": False})
    assert refused.status_code == 403

    _put(admin, f"/api/v1/flows/{flow['id']}/triggers", json={"on_submit": False})
    assert add(clerk, form, sku="A-2", qty=3)["_flow_instance_id"] is None


def test_a_flow_that_cannot_start_answers_the_submission_with_why(tenant, forms):
    form, _ = forms
    clerk = tenant.user_client("loner", role_ids=[_clerk_role(tenant)])
    flow = flow_with(tenant, form, approver())  # the loner has no department head
    _put(tenant.admin, f"/api/v1/flows/{flow['id']}/triggers", json={"on_submit": True})
    response = clerk.post(f"/api/v1/forms/{form['id']}/records", json={"sku": "N-1", "qty": 1})
    assert response.status_code == 422 and response.json["code"] == "no_approver"
    assert "no active user" in response.json["message"]
    assert clerk.get("/api/v1/flow-instances").json["items"] == []
    # the submission is all or nothing: the record is not kept without its flow
    kept = tenant.admin.get(f"/api/v1/forms/{form['id']}/records").json
    assert kept["total"] == 0, kept["items"]


def _put(client, url: str, **kwargs):
    return client.request("PUT", url, **kwargs)


def _clerk_role(tenant) -> int:
    role = tenant.admin.post(
        "/api/v1/roles",
        json={"name": "录入", "code": "entry", "permissions": ["records.read", "records.write"]},
    )
    assert role.status_code == 201, role.json
    return role.json["id"]
