"""The approval toolset through the API: countersign by all and by ratio, sequential lists,
or-sign races, reject paths, returning to any earlier step, adding signers, delegating,
copying in, withdrawing and urging."""

from __future__ import annotations

import threading

import pytest

from tests.flows_fixtures import (
    Org,
    act,
    instance,
    todo,
)
from tests.flows_toolset_fixtures import chain, history, run_flow, status


@pytest.fixture
def org(tenant):
    org = Org(tenant)
    third = tenant.add_user(
        "marketer3", department_id=org.department_id, role_ids=[org.roles["marketing"]]
    )
    org.ids["marketer3"] = third["id"]
    return org


def test_countersign_with_one_rejection_rejects_and_closes_the_other_seats(tenant, org):
    started = run_flow(
        tenant, org, chain({"id": "board", "assignee": "role:marketing", "mode": "all"})
    )
    act(org.client("marketer"), todo(org.client("marketer"))[0], "approve")
    assert status(org, started) == "running"
    act(org.client("marketer2"), todo(org.client("marketer2"))[0], "reject", comment="不同意")

    detail = instance(org.client("clerk"), started["id"])
    assert detail["status"] == "rejected"
    assert sorted(t["status"] for t in detail["tasks"]) == ["approved", "cancelled", "rejected"]
    assert todo(org.client("marketer3")) == []


def test_countersign_by_ratio_is_decided_as_soon_as_the_outcome_is_certain(tenant, org):
    tree = chain({"id": "board", "assignee": "role:marketing", "mode": "ratio", "ratio": "2/3"})
    approved = run_flow(tenant, org, tree)
    act(org.client("marketer"), todo(org.client("marketer"))[0], "reject")
    assert status(org, approved) == "running"  # two of three can still approve
    act(org.client("marketer2"), todo(org.client("marketer2"))[0], "approve")
    assert status(org, approved) == "running"
    act(org.client("marketer3"), todo(org.client("marketer3"))[0], "approve")
    assert status(org, approved) == "approved"

    rejected = run_flow(tenant, org, tree)
    act(org.client("marketer"), todo(org.client("marketer"))[0], "reject")
    act(org.client("marketer2"), todo(org.client("marketer2"))[0], "reject")
    assert status(org, rejected) == "rejected"  # 2/3 can no longer be reached
    assert todo(org.client("marketer3")) == []

    early = run_flow(tenant, org, tree)
    act(org.client("marketer"), todo(org.client("marketer"))[0], "approve")
    act(org.client("marketer2"), todo(org.client("marketer2"))[0], "approve")
    assert status(org, early) == "approved"  # the third is not asked any more
    assert todo(org.client("marketer3")) == []


def test_a_sequential_list_asks_one_person_after_another(tenant, org):
    tree = chain(
        {"id": "list", "assignee": "user:director user:marketer user:head", "mode": "sequential"}
    )
    started = run_flow(tenant, org, tree)
    assert todo(org.client("marketer")) == [] and todo(org.client("head")) == []
    act(org.client("director"), todo(org.client("director"))[0], "approve")
    assert todo(org.client("head")) == []
    act(org.client("marketer"), todo(org.client("marketer"))[0], "approve")
    assert status(org, started) == "running"
    act(org.client("head"), todo(org.client("head"))[0], "approve")
    assert status(org, started) == "approved"
    approvals = [a for a in history(org, started) if a[0] == "approve"]
    assert [name for _, name in approvals] == ["director", "marketer", "head"]


def test_or_sign_race_records_exactly_one_decision(tenant, org):
    started = run_flow(tenant, org, chain({"id": "pick", "assignee": "role:marketing"}))
    people = ["marketer", "marketer2", "marketer3"]
    tasks = {p: todo(org.client(p))[0] for p in people}
    barrier = threading.Barrier(len(people))
    codes: dict[str, int] = {}

    def approve(person):
        client = org.client(person)
        barrier.wait()
        response = client.post(f"/api/v1/flow-tasks/{tasks[person]['id']}/approve", json={})
        codes[person] = response.status_code

    threads = [threading.Thread(target=approve, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes.values()).count(200) == 1, codes
    assert set(codes.values()) <= {200, 409}
    detail = instance(org.client("clerk"), started["id"])
    assert detail["status"] == "approved"
    assert len([e for e in detail["events"] if e["action"] == "approve"]) == 1


THREE_STEPS = chain(
    {"id": "manager", "name": "仓库主管", "assignee": "dept_head"},
    {"id": "director", "name": "销售总监", "assignee": "user:director"},
    {"id": "purchase", "name": "市场部", "assignee": "user:marketer"},
)


def test_return_to_any_earlier_step_then_approve_again_from_there(tenant, org):
    started = run_flow(tenant, org, THREE_STEPS)
    head, director, marketer = (org.client(n) for n in ("head", "director", "marketer"))
    act(head, todo(head)[0], "approve")
    act(director, todo(director)[0], "approve")
    task = todo(marketer)[0]

    targets = marketer.get(f"/api/v1/flow-tasks/{task['id']}/return-targets").json["items"]
    assert [t["node_id"] for t in targets] == ["director", "manager"]
    wrong = act(marketer, task, "return", status=422, to_node="purchase")
    assert "to_node" in wrong["errors"]
    act(marketer, task, "return", to_node="manager", comment="从头再审")

    assert todo(marketer) == [] and todo(director) == []
    act(head, todo(head)[0], "approve")
    act(director, todo(director)[0], "approve")
    act(marketer, todo(marketer)[0], "approve")
    detail = instance(org.client("clerk"), started["id"])
    assert detail["status"] == "approved"
    returned = next(e for e in detail["events"] if e["action"] == "return")
    assert returned["details"]["to_node"] == "manager" and returned["comment"] == "从头再审"


def test_reject_takes_the_reject_path_when_the_step_has_one(tenant, org):
    tree = chain(
        {"id": "review", "assignee": "user:director", "reject_to": "rework"},
        {"id": "rework", "name": "整改", "assignee": "dept_head"},
    )
    started = run_flow(tenant, org, tree)
    act(org.client("director"), todo(org.client("director"))[0], "reject", comment="请整改")
    assert status(org, started) == "running"
    [task] = todo(org.client("head"))
    assert task["node_id"] == "rework"
    act(org.client("head"), task, "approve")
    assert status(org, started) == "approved"

    # Without a reject path, a rejection ends the flow as rejected.
    plain = run_flow(tenant, org, chain({"id": "review", "assignee": "user:director"}))
    act(org.client("director"), todo(org.client("director"))[0], "reject")
    assert status(org, plain) == "rejected"


def test_a_signer_added_before_approves_first_then_it_comes_back(tenant, org):
    started = run_flow(tenant, org, THREE_STEPS)
    head, accountant = org.client("head"), org.client("accountant")
    task = todo(head)[0]
    act(
        head,
        task,
        "add-signer",
        user_id=org.ids["accountant"],
        position="before",
        comment="请财务先看",
    )
    assert todo(head) == []
    [added] = todo(accountant)
    assert added["node_id"] == "manager"
    act(accountant, added, "approve", comment="账目无误")

    [back] = todo(head)
    assert back["id"] == task["id"] and todo(org.client("director")) == []
    act(head, back, "approve")
    assert todo(org.client("director"))
    actions = [a for a, _ in history(org, started)]
    assert actions[:4] == ["start", "add_signer", "approve", "approve"]


def test_a_signer_added_after_decides_once_the_adder_approved(tenant, org):
    run_flow(tenant, org, THREE_STEPS)
    head, accountant = org.client("head"), org.client("accountant")
    act(head, todo(head)[0], "add-signer", user_id=org.ids["accountant"], position="after")
    assert todo(head) == [] and todo(org.client("director")) == []
    act(accountant, todo(accountant)[0], "approve")
    assert todo(org.client("director"))


def test_delegating_a_task_shows_on_whose_behalf_it_was_decided(tenant, org):
    started = run_flow(tenant, org, THREE_STEPS)
    head, accountant = org.client("head"), org.client("accountant")
    act(head, todo(head)[0], "delegate", user_id=org.ids["accountant"])
    [task] = todo(accountant)
    assert task["on_behalf_of_name"] == "head"
    act(accountant, task, "approve", comment="代主管审批")
    event = [e for e in instance(head, started["id"])["events"] if e["action"] == "approve"][0]
    assert event["actor_name"] == "accountant"
    assert event["on_behalf_of"] == {"id": org.ids["head"], "name": "head"}
    done = head.get("/api/v1/flow-tasks?box=done").json["items"]
    assert [d["status"] for d in done] == ["delegated"]


def test_transfer_and_hand_over_need_someone_else(tenant, org):
    run_flow(tenant, org, THREE_STEPS)
    head = org.client("head")
    task = todo(head)[0]
    for action in ("transfer", "delegate", "add-signer"):
        assert "user_id" in act(head, task, action, status=422, user_id=org.ids["head"])["errors"]
    act(head, task, "transfer", user_id=org.ids["director"])
    assert todo(head) == [] and todo(org.client("director"))[0]["node_id"] == "manager"


def test_an_approver_copies_people_in(tenant, org):
    started = run_flow(tenant, org, THREE_STEPS)
    head = org.client("head")
    act(head, todo(head)[0], "cc", user_ids=[org.ids["accountant"], org.ids["marketer"]])
    for person in ("accountant", "marketer"):
        [copy] = org.client(person).get("/api/v1/flow-tasks?box=cc").json["items"]
        assert copy["instance_id"] == started["id"]
    assert todo(head)  # copying in decides nothing
    wrong = act(head, todo(head)[0], "cc", status=422, user_ids=[99999999])
    assert "user_ids.0" in wrong["errors"]


def test_the_initiator_withdraws_before_the_first_decision_only(tenant, org):
    clerk, head = org.client("clerk"), org.client("head")
    started = run_flow(tenant, org, THREE_STEPS)
    assert head.post(f"/api/v1/flow-instances/{started['id']}/withdraw", json={}).status_code == 403
    withdrawn = clerk.post(
        f"/api/v1/flow-instances/{started['id']}/withdraw", json={"comment": "填错了"}
    )
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    assert todo(head) == []
    assert clerk.get("/api/v1/flow-instances?status=withdrawn").json["total"] == 1

    decided = run_flow(tenant, org, THREE_STEPS)
    act(head, todo(head)[0], "approve")
    late = clerk.post(f"/api/v1/flow-instances/{decided['id']}/withdraw", json={})
    assert late.status_code == 409 and late.json["code"] == "already_decided"


def test_urging_renotifies_the_current_approvers_at_most_every_ten_minutes(tenant, org):
    clerk, head = org.client("clerk"), org.client("head")
    started = run_flow(tenant, org, THREE_STEPS)
    urged = clerk.post(f"/api/v1/flow-instances/{started['id']}/urge", json={"comment": "急"})
    assert urged.status_code == 200
    assert [u["id"] for u in urged.json["notified"]] == [org.ids["head"]]
    notes = head.get("/api/v1/notifications").json["items"]
    assert any(n["title"].startswith("催办") and n["body"] == "急" for n in notes)

    again = clerk.post(
        f"/api/v1/flow-instances/{started['id']}/urge",
        json={},
        headers={"Accept-Language": "zh-CN"},
    )
    assert again.status_code == 429 and again.json["code"] == "too_many_requests"
    assert 0 < again.json["retry_after"] <= 600
    assert "分钟" in again.json["message"] or "秒" in again.json["message"]
