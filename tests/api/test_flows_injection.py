"""Code in conditions, scripts, attributes or form data never runs: deploys are refused with a
clear message, and text that reaches a running flow stays text."""

from __future__ import annotations

import pytest

from tests.flows_fixtures import (
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


@pytest.fixture
def marker(tmp_path):
    path = tmp_path / "pwned"
    yield path
    assert not path.exists(), "a payload ran"


def _payloads(marker) -> list[str]:
    command = f"touch {marker}"
    return [
        f"__import__('os').system('{command}')",
        f"eval(\"__import__('os').system('{command}')\")",
        f"exec(\"import os; os.system('{command}')\")",
        f"[c for c in ().__class__.__base__.__subclasses__()] or open('{marker}', 'w')",
        f"${{T(java.lang.Runtime).getRuntime().exec('{command}')}}",
    ]


def test_code_in_a_condition_is_refused_at_deploy(tenant, marker):
    Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form)
    for payload in _payloads(marker):
        bpmn = two_step_bpmn(form["key"], condition=payload)
        response = tenant.admin.post(f"/api/v1/flows/{flow['id']}/versions", json={"bpmn": bpmn})
        assert response.status_code == 422, payload
        assert "JSON expression" in " ".join(response.json["errors"]["f3"]), response.json
    as_field = tenant.admin.post(
        f"/api/v1/flows/{flow['id']}/versions",
        json={"bpmn": two_step_bpmn(form["key"], condition='{"var": "__import__"}')},
    )
    assert as_field.status_code == 422
    assert tenant.admin.get(f"/api/v1/flows/{flow['id']}").json["latest_version"] is None


SCRIPT_TASK = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="defs" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="run"/>
    <bpmn:scriptTask id="run"><bpmn:script>{payload}</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="run" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>"""

PRE_SCRIPT = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    xmlns:gs="urn:greenshelf:bpmn:1" id="defs" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask"/>
    <bpmn:userTask id="ask" gs:form="{form}" gs:assignee="initiator">
      <bpmn:extensionElements>
        <spiffworkflow:preScript>{payload}</spiffworkflow:preScript>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
    targetNamespace="x"><bpmn:process id="p" name="&secret;"/></bpmn:definitions>"""


def test_scripts_extensions_and_entities_are_refused(tenant, marker):
    form = disposal_form(tenant)
    flow = make_flow(tenant, form)
    url = f"/api/v1/flows/{flow['id']}/versions"
    payload = _payloads(marker)[0]
    script = tenant.admin.post(url, json={"bpmn": SCRIPT_TASK.format(payload=payload)})
    assert script.status_code == 422
    assert "Script tasks are not run" in " ".join(script.json["errors"]["run"])
    pre = tenant.admin.post(
        url, json={"bpmn": PRE_SCRIPT.format(payload=payload, form=form["key"])}
    )
    assert pre.status_code == 422 and "ask" in pre.json["errors"]
    entity = tenant.admin.post(url, json={"bpmn": XXE})
    assert entity.status_code == 422 and "DOCTYPE" in entity.json["message"]
    assert "root:" not in str(entity.json)


def test_code_in_form_data_names_and_messages_stays_text(tenant, marker):
    org = Org(tenant)
    form = disposal_form(tenant)
    payload = _payloads(marker)[0]
    tree = {
        "type": "initiator",
        "name": payload,
        "child": {
            "type": "branch",
            "branches": [
                {
                    "name": payload,
                    "condition": {"==": [{"var": "note"}, payload]},
                    "child": {
                        "type": "approver",
                        "name": payload,
                        "assignee": "dept_head",
                        "child": {
                            "type": "action",
                            "action": "notify",
                            "assignee": "initiator",
                            "message": payload,
                        },
                    },
                },
                {"condition": {"starts_with": [{"var": "batch_no"}, "__import__"]}, "child": None},
            ],
        },
    }
    flow = make_flow(tenant, form, tree=tree)
    clerk = org.client("clerk")
    started = start(clerk, flow, add_record(clerk, form, note=payload, batch_no=payload))
    head = org.client("head")
    [task] = todo(head)
    assert task["node_name"] == payload
    act(head, task, "approve", comment=payload)
    detail = instance(clerk, started["id"])
    assert detail["status"] == "approved"
    assert any(e["comment"] == payload for e in detail["events"])
    notes = clerk.get("/api/v1/notifications").json["items"]
    assert any(n["body"] == payload for n in notes)
