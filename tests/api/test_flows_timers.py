"""Timers: a user task's timeout reminds, escalates or decides; delays and boundary timers
wait; each fires once, from the due-timers table the beat sweeper reads."""

from __future__ import annotations

import pytest

from tests.flows_fixtures import Org, act, todo
from tests.flows_services_fixtures import (
    add,
    approver,
    flow_with,
    history,
    later,
    request_form,
)


@pytest.fixture
def setup(tenant):
    return Org(tenant), request_form(tenant)


def _start(org, form: dict, chain: dict) -> dict:
    clerk = org.client("clerk")
    flow = flow_with(org.tenant, form, chain)
    request = add(clerk, form, sku="S-1", qty=3)
    response = clerk.post(
        f"/api/v1/flows/{flow['id']}/instances", json={"record_id": request["id"]}
    )
    assert response.status_code == 201, response.json
    return response.json


def _timers(org, instance_id: int) -> list[dict]:
    response = org.tenant.admin.get(f"/api/v1/flow-timers?instance_id={instance_id}")
    assert response.status_code == 200, response.json
    return response.json["items"]


def _status(org, instance_id: int) -> str:
    return org.client("clerk").get(f"/api/v1/flow-instances/{instance_id}").json["status"]


@pytest.mark.parametrize(
    "decision, status", [("auto_approve", "approved"), ("auto_reject", "rejected")]
)
def test_a_timeout_decides_for_an_approver_who_does_not(setup, decision, status):
    org, form = setup
    started = _start(org, form, approver(timeout={"after": "PT2S", "action": decision}))
    [timer] = _timers(org, started["id"])
    assert (timer["kind"], timer["action"], timer["status"]) == ("timeout", decision, "pending")

    assert later(org.tenant, 1) == []  # not due yet
    assert _status(org, started["id"]) == "running"
    assert later(org.tenant, 3) == [decision]
    assert later(org.tenant, 60) == []  # it fired once

    assert _status(org, started["id"]) == status
    assert todo(org.client("head")) == []
    events = history(org.client("clerk"), started["id"])
    [fired] = [e for e in events if e["action"] == decision]
    assert fired["node_id"] == "manager" and fired["actor_name"] == "system"
    assert _timers(org, started["id"])[0]["status"] == "fired"


def test_a_timeout_reminds_again_up_to_its_count(setup):
    org, form = setup
    timeout = {"after": "PT1H", "action": "remind", "every": "PT30M", "count": 2}
    started = _start(org, form, approver(timeout=timeout))
    head = org.client("head")

    assert later(org.tenant, 3601) == ["remind"]
    assert later(org.tenant, 3601) == []
    assert later(org.tenant, 3600 + 1801) == ["remind"]
    assert later(org.tenant, 86400) == []  # two reminders, as many as asked

    reminders = [n for n in head.get("/api/v1/notifications").json["items"] if "催办" in n["title"]]
    assert len(reminders) == 2
    [task] = todo(head)  # still theirs to decide
    act(head, task, "approve")
    assert _status(org, started["id"]) == "approved"


def test_a_timeout_escalates_to_someone_else(setup):
    org, form = setup
    timeout = {"after": "PT4H", "action": "escalate", "to": "role:east_sales_director"}
    started = _start(org, form, approver(timeout=timeout))

    assert later(org.tenant, 4 * 3600 + 1) == ["escalate"]
    assert todo(org.client("head")) == []
    [task] = todo(org.client("director"))
    act(org.client("director"), task, "approve")
    assert _status(org, started["id"]) == "approved"
    done = org.client("head").get("/api/v1/flow-tasks?box=done").json["items"]
    assert [t["status"] for t in done] == ["transferred"]


def test_a_decision_in_time_cancels_the_timeout(setup):
    org, form = setup
    started = _start(org, form, approver(timeout={"after": "PT2S", "action": "auto_reject"}))
    head = org.client("head")
    act(head, todo(head)[0], "approve")
    assert later(org.tenant, 60) == []
    assert _status(org, started["id"]) == "approved"
    assert [t["status"] for t in _timers(org, started["id"])] == ["cancelled"]


def test_moving_to_a_version_without_the_timeout_cancels_it(setup):
    org, form = setup
    started = _start(org, form, approver(timeout={"after": "PT2S", "action": "auto_reject"}))
    admin = org.tenant.admin
    flow_id = started["definition_id"]
    tree = {"type": "initiator", "child": approver()}
    assert admin.post(f"/api/v1/flows/{flow_id}/versions", json={"tree": tree}).status_code == 201
    body = {"from_version": 1, "to_version": 2, "mapping": {}}
    moved = admin.post(f"/api/v1/flows/{flow_id}/migrations", json=body)
    assert moved.status_code == 200, moved.json
    assert [i["moved"] for i in moved.json["instances"]] == [True]

    assert [t["status"] for t in _timers(org, started["id"])] == ["cancelled"]
    assert later(org.tenant, 60) == []  # version 2 lets the head take their time
    head = org.client("head")
    act(head, todo(head)[0], "approve")
    assert _status(org, started["id"]) == "approved"


def test_a_delay_holds_the_flow_until_it_is_due(setup):
    org, form = setup
    chain = {"type": "delay", "id": "cool_off", "duration": "PT2H", "child": approver()}
    started = _start(org, form, chain)
    head = org.client("head")

    assert todo(head) == []
    [timer] = _timers(org, started["id"])
    assert (timer["kind"], timer["node_id"], timer["status"]) == ("event", "cool_off", "pending")
    assert later(org.tenant, 3600) == []
    assert later(org.tenant, 7201) == ["fired"]
    [task] = todo(head)
    assert task["node_id"] == "manager"
    assert "timer" in [e["action"] for e in history(org.client("clerk"), started["id"])]


def _boundary_bpmn(form_key: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:gs="urn:greenshelf:bpmn:1" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="escalating" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="manager"/>
    <bpmn:userTask id="manager" name="Manager" gs:form="{form_key}" gs:assignee="dept_head"/>
    <bpmn:boundaryEvent id="too_slow" attachedToRef="manager">
      <bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="manager" targetRef="end"/>
    <bpmn:sequenceFlow id="f3" sourceRef="too_slow" targetRef="director"/>
    <bpmn:userTask id="director" name="Director" gs:form="{form_key}"
        gs:assignee="role:east_sales_director"/>
    <bpmn:sequenceFlow id="f4" sourceRef="director" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_boundary_timer_takes_the_step_away_and_sends_the_flow_on(setup):
    org, form = setup
    admin, clerk = org.tenant.admin, org.client("clerk")
    flow = admin.post(
        "/api/v1/flows", json={"key": "escalating", "name": "超时升级", "form_id": form["id"]}
    ).json
    deployed = admin.post(
        f"/api/v1/flows/{flow['id']}/versions", json={"bpmn": _boundary_bpmn(form["key"])}
    )
    assert deployed.status_code == 201, deployed.json
    assert deployed.json["nodes"]["too_slow"]["attached_to"] == "manager"
    request = add(clerk, form, sku="S-2", qty=1)
    started = clerk.post(f"/api/v1/flows/{flow['id']}/instances", json={"record_id": request["id"]})
    assert len(todo(org.client("head"))) == 1

    assert later(org.tenant, 86401) == ["fired"]
    assert todo(org.client("head")) == []
    [task] = todo(org.client("director"))
    act(org.client("director"), task, "approve")
    assert _status(org, started.json["id"]) == "approved"


@pytest.mark.parametrize(
    "node, where, words",
    [
        (approver(timeout={"after": "2 hours"}), "tree.child", "not a duration"),
        (approver(timeout={"after": "PT1H", "action": "nap"}), "tree.child", "onTimeout"),
        (approver(timeout={"after": "PT1H", "action": "escalate"}), "tree.child", "escalateTo"),
        (
            approver(timeout={"after": "PT1H", "action": "auto_approve", "count": 3}),
            "tree.child",
            "repeat",
        ),
        (approver(timeout="PT1H"), "tree.child.timeout", "object"),
        ({"type": "delay", "duration": "P1M"}, "tree.child.duration", "not a duration"),
        ({"type": "delay"}, "tree.child.duration", "Required"),
    ],
)
def test_bad_timer_settings_are_refused_at_deploy_with_the_node(setup, node, where, words):
    org, form = setup
    admin = org.tenant.admin
    flow = admin.post(
        "/api/v1/flows", json={"key": "badtimer", "name": "x", "form_id": form["id"]}
    ).json
    response = admin.post(
        f"/api/v1/flows/{flow['id']}/versions", json={"tree": {"type": "initiator", "child": node}}
    )
    assert response.status_code == 422, response.json
    assert where in response.json["errors"], response.json
    assert words in " ".join(response.json["errors"][where])
