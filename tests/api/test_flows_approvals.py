"""Approving, rejecting, returning and transferring disposal requests through the API."""

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
)


@pytest.fixture
def setup(tenant):
    org = Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, tree=DISPOSAL_TREE)
    return org, form, flow


def _history(client, instance_id):
    return [(e["action"], e["node_id"]) for e in instance(client, instance_id)["events"]]


def test_category_a_red_goes_to_the_east_china_sales_director(setup):
    org, form, flow = setup
    clerk = org.client("clerk")
    record = add_record(clerk, form, category="A", level="red")
    started = start(clerk, flow, record)
    assert started["status"] == "running"

    [task] = todo(org.client("head"))
    assert task["node_name"] == "仓库主管"
    # a form without a title field is named by its first text field, never "#<id>"
    assert task["title"] == f"临期处置审批 · {record['batch_no']}"
    act(org.client("head"), task, "approve", comment="同意处置")
    assert todo(org.client("marketer")) == []
    [task] = todo(org.client("director"))
    assert task["node_id"] == "east_director"
    act(org.client("director"), task, "approve")

    done = instance(clerk, started["id"])
    assert done["status"] == "approved" and done["ended_at"]
    assert [a for a, _ in _history(clerk, started["id"])] == [
        "start",
        "approve",
        "approve",
        "cc",
        "finish",
    ]
    assert done["events"][1]["comment"] == "同意处置"
    assert done["events"][1]["actor_name"] == "head"
    # The finance people are copied in and told; the record points at its flow.
    [copy] = org.client("accountant").get("/api/v1/flow-tasks?box=cc").json["items"]
    assert copy["instance_id"] == started["id"] and copy["status"] == "cc"
    notes = org.client("accountant").get("/api/v1/notifications").json["items"]
    assert any("抄送" in n["title"] for n in notes)
    saved = clerk.get(f"/api/v1/forms/{form['id']}/records/{record['id']}").json
    assert saved["_flow_instance_id"] == started["id"]


def test_category_b_goes_to_the_employee_purchase_flow(setup):
    org, form, flow = setup
    clerk = org.client("clerk")
    started = start(clerk, flow, add_record(clerk, form, category="B", level="yellow"))
    act(org.client("head"), todo(org.client("head"))[0], "approve")

    assert todo(org.client("director")) == []
    # Both marketers are candidates (or-sign): the first decision counts for both.
    [mine] = todo(org.client("marketer"))
    [theirs] = todo(org.client("marketer2"))
    assert mine["node_id"] == theirs["node_id"] == "employee_purchase"
    act(org.client("marketer2"), theirs, "approve")
    assert todo(org.client("marketer")) == []
    late = org.client("marketer").post(
        f"/api/v1/flow-tasks/{mine['id']}/approve", json={}, headers={"Accept-Language": "zh-CN"}
    )
    assert late.status_code == 409 and late.json["code"] == "task_closed"
    assert late.json["message"].startswith("该任务已处理")

    assert instance(clerk, started["id"])["status"] == "approved"
    actions = [a for a, _ in _history(clerk, started["id"])]
    assert actions == ["start", "approve", "approve", "notify", "cc", "finish"]
    notes = clerk.get("/api/v1/notifications").json["items"]
    assert any(n["body"] == "已转入员工内购" for n in notes)


def test_other_categories_skip_the_branch(setup):
    org, form, flow = setup
    clerk = org.client("clerk")
    started = start(clerk, flow, add_record(clerk, form, category="C", level="red"))
    act(org.client("head"), todo(org.client("head"))[0], "approve")
    assert instance(clerk, started["id"])["status"] == "approved"


def test_reject_ends_the_flow_and_closes_every_open_task(setup):
    org, form, flow = setup
    clerk = org.client("clerk")
    started = start(clerk, flow, add_record(clerk, form, category="B"))
    act(org.client("head"), todo(org.client("head"))[0], "approve")
    task = todo(org.client("marketer"))[0]
    act(org.client("marketer"), task, "reject", comment="数量不对")

    detail = instance(clerk, started["id"])
    assert detail["status"] == "rejected"
    assert {t["status"] for t in detail["tasks"] if t["node_id"] == "employee_purchase"} == {
        "rejected",
        "cancelled",
    }
    assert todo(org.client("marketer2")) == []
    assert detail["events"][-1]["action"] == "reject"
    assert detail["events"][-1]["comment"] == "数量不对"
    # The record may start a new flow now.
    start(clerk, flow, {"id": detail["record_id"]})


def test_return_goes_back_to_the_previous_step_and_can_be_approved_again(setup):
    org, form, flow = setup
    clerk = org.client("clerk")
    started = start(clerk, flow, add_record(clerk, form, category="A", level="red"))
    head = org.client("head")
    act(head, todo(head)[0], "approve")
    act(org.client("director"), todo(org.client("director"))[0], "return", comment="请补充照片")

    [again] = todo(head)
    assert again["node_id"] == "manager"
    assert todo(org.client("director")) == []
    act(head, again, "approve")
    act(org.client("director"), todo(org.client("director"))[0], "approve")
    detail = instance(clerk, started["id"])
    assert detail["status"] == "approved"
    returned = next(e for e in detail["events"] if e["action"] == "return")
    assert returned["details"]["to_node"] == "manager" and returned["comment"] == "请补充照片"


def test_the_first_step_cannot_be_returned(setup):
    org, form, flow = setup
    clerk = org.client("clerk")
    start(clerk, flow, add_record(clerk, form, category="A"))
    head = org.client("head")
    response = act(head, todo(head)[0], "return", status=422)
    assert response["code"] == "nothing_to_return"
    assert len(todo(head)) == 1  # nothing changed


def test_transfer_hands_the_task_to_someone_else(setup):
    org, form, flow = setup
    clerk = org.client("clerk")
    started = start(clerk, flow, add_record(clerk, form, category="A", level="red"))
    head = org.client("head")
    task = todo(head)[0]
    act(head, task, "transfer", user_id=org.ids["accountant"], comment="我出差，请代批")

    assert todo(head) == []
    [moved] = todo(org.client("accountant"))
    assert moved["node_id"] == "manager"
    done = head.get("/api/v1/flow-tasks?box=done").json["items"]
    assert [d["status"] for d in done] == ["transferred"]
    act(org.client("accountant"), moved, "approve")
    assert todo(org.client("director"))
    event = next(e for e in instance(clerk, started["id"])["events"] if e["action"] == "transfer")
    assert event["details"]["to_name"] == "accountant"


@pytest.mark.parametrize(
    "body, field",
    [({}, "user_id"), ({"user_id": 99999999}, "user_id")],
)
def test_transfer_needs_an_active_user(setup, body, field):
    org, form, flow = setup
    clerk = org.client("clerk")
    start(clerk, flow, add_record(clerk, form, category="A"))
    head = org.client("head")
    response = act(head, todo(head)[0], "transfer", status=422, **body)
    assert field in response["errors"]


def test_only_the_assignee_decides(setup):
    org, form, flow = setup
    clerk = org.client("clerk")
    start(clerk, flow, add_record(clerk, form, category="A"))
    task = todo(org.client("head"))[0]
    act(org.client("director"), task, "approve", status=403)
    act(clerk, task, "approve", status=403)
    assert len(todo(org.client("head"))) == 1


def test_done_box_and_initiated_list(setup):
    org, form, flow = setup
    clerk = org.client("clerk")
    first = start(clerk, flow, add_record(clerk, form, category="C"))
    second = start(clerk, flow, add_record(clerk, form, category="C"))
    head = org.client("head")
    act(head, todo(head)[-1], "approve", comment="ok")

    done = head.get("/api/v1/flow-tasks?box=done").json
    assert done["total"] == 1 and done["items"][0]["comment"] == "ok"
    mine = clerk.get("/api/v1/flow-instances").json
    assert [i["id"] for i in mine["items"]] == [second["id"], first["id"]]
    running = clerk.get("/api/v1/flow-instances?status=running").json["items"]
    assert [i["id"] for i in running] == [second["id"]] or [i["id"] for i in running] == [
        first["id"]
    ]
    assert org.client("director").get("/api/v1/flow-instances").json["total"] == 0
    assert org.client("director").get(f"/api/v1/flow-instances/{first['id']}").status_code == 403


def test_a_record_runs_one_flow_at_a_time(setup):
    org, form, flow = setup
    clerk = org.client("clerk")
    record = add_record(clerk, form, category="A")
    started = start(clerk, flow, record)
    again = start(clerk, flow, record, status=409)
    assert again["code"] == "flow_running" and again["instance_id"] == started["id"]


def test_flow_writes_are_audited(setup, tenant):
    org, form, flow = setup
    clerk = org.client("clerk")
    started = start(clerk, flow, add_record(clerk, form, category="C"))
    head = org.client("head")
    act(head, todo(head)[0], "approve")
    entries = tenant.admin.get("/api/v1/audit?page_size=200").json["items"]
    kinds = {(e["object_type"], e["action"]) for e in entries}
    assert ("flow_instances", "create") in kinds
    assert ("flow_instances", "update") in kinds
    assert ("flow_tasks", "update") in kinds
    assert ("flow_versions", "create") in kinds
    update = next(
        e
        for e in entries
        if e["object_type"] == "flow_instances"
        and e["object_id"] == str(started["id"])
        and e["action"] == "update"
        and "status" in e["diff"]
    )
    assert update["diff"]["status"] == ["running", "approved"]
    assert "state" not in update["diff"]
