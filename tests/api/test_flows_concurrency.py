"""Several approvers acting on one task at once: one decision wins, the rest get a clear 409,
and nothing is lost."""

from __future__ import annotations

import pytest

from tests.concurrency_fixtures import race
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

COUNTERSIGN = {
    "type": "initiator",
    "child": {"type": "approver", "id": "board", "assignee": "role:marketing", "mode": "all"},
}


@pytest.fixture
def org(tenant):
    return Org(tenant)


def _countersign(tenant, org):
    """The clerk, and how they start a flow that everyone in marketing must approve."""
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, tree=COUNTERSIGN)
    clerk = org.client("clerk")
    return clerk, lambda: start(clerk, flow, add_record(clerk, form))


def _at_purchase_step(tenant, org, tree=DISPOSAL_TREE):
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, tree=tree)
    clerk = org.client("clerk")
    started = start(clerk, flow, add_record(clerk, form, category="B"))
    head = org.client("head")
    act(head, todo(head)[0], "approve")
    return clerk, started


def _decisions(detail, node_id):
    return [e for e in detail["events"] if e["node_id"] == node_id and e["action"] == "approve"]


def test_a_decision_on_a_task_someone_else_settled_is_a_409(tenant, org):
    clerk, started = _at_purchase_step(tenant, org)
    [mine] = todo(org.client("marketer"))
    [theirs] = todo(org.client("marketer2"))
    act(org.client("marketer2"), theirs, "approve", comment="first")
    late = act(org.client("marketer"), mine, "approve", status=409, comment="second")
    assert late["code"] == "task_closed"
    detail = instance(clerk, started["id"])
    assert detail["status"] == "approved"
    [decision] = _decisions(detail, "employee_purchase")
    assert decision["comment"] == "first" and decision["actor_name"] == "marketer2"
    seats = {t["assignee_id"]: t["status"] for t in detail["tasks"] if t["kind"] == "approval"}
    assert seats[org.ids["marketer2"]] == "approved" and seats[org.ids["marketer"]] == "cancelled"


def test_a_decision_made_on_a_stale_view_is_a_409_and_can_be_made_again(tenant, org):
    clerk, start_one = _countersign(tenant, org)
    started = start_one()
    [mine] = todo(org.client("marketer"))
    [theirs] = todo(org.client("marketer2"))
    seen = mine["instance_row_version"]
    act(org.client("marketer2"), theirs, "approve", row_version=seen)
    stale = act(org.client("marketer"), mine, "approve", status=409, row_version=seen)
    assert stale["code"] == "flow_changed" and stale["row_version"] > seen
    assert instance(clerk, started["id"])["status"] == "running"
    act(org.client("marketer"), mine, "approve", row_version=stale["row_version"])
    detail = instance(clerk, started["id"])
    assert detail["status"] == "approved" and len(_decisions(detail, "board")) == 2


def test_many_approvers_racing_on_one_task_record_exactly_one_decision(tenant, org):
    racers = [org.client("marketer"), org.client("marketer2")]
    for n in range(4):
        tenant.add_user(f"racer{n}", role_ids=[org.roles["marketing"]])
        racers.append(org.client(f"racer{n}"))
    clerk, started = _at_purchase_step(tenant, org)
    tasks = [todo(c)[0] for c in racers]

    responses = race(
        [
            (lambda c=c, t=t: c.post(f"/api/v1/flow-tasks/{t['id']}/approve", json={}))
            for c, t in zip(racers, tasks, strict=True)
        ]
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (len(racers) - 1), [r.json for r in responses]
    assert all(
        r.json["code"] in {"flow_changed", "task_closed"} for r in responses if r.status_code == 409
    )
    winner = next(r.json for r in responses if r.status_code == 200)

    detail = instance(clerk, started["id"])
    assert detail["status"] == "approved"
    [decision] = _decisions(detail, "employee_purchase")
    assert decision["task_id"] == winner["id"]
    assert [e["action"] for e in detail["events"]].count("cc") == 1
    statuses = sorted(t["status"] for t in detail["tasks"] if t["node_id"] == "employee_purchase")
    assert statuses == ["approved"] + ["cancelled"] * (len(racers) - 1)
    assert all(todo(c) == [] for c in racers)


def test_a_countersign_race_loses_nothing(tenant, org):
    clerk, start_one = _countersign(tenant, org)
    started = start_one()
    people = [org.client("marketer"), org.client("marketer2")]
    tasks = [todo(c)[0] for c in people]

    responses = race(
        [
            (lambda c=c, t=t: c.post(f"/api/v1/flow-tasks/{t['id']}/approve", json={}))
            for c, t in zip(people, tasks, strict=True)
        ]
    )
    assert 200 in [r.status_code for r in responses]
    for client, task, response in zip(people, tasks, responses, strict=True):
        if response.status_code == 409:  # the loser tries again and is counted
            assert response.json["code"] == "flow_changed"
            act(client, task, "approve")
    detail = instance(clerk, started["id"])
    assert detail["status"] == "approved"
    assert len(_decisions(detail, "board")) == 2
    assert sorted(t["status"] for t in detail["tasks"]) == ["approved", "approved"]


def test_a_countersign_waits_for_everyone_and_one_rejection_rejects(tenant, org):
    clerk, start_one = _countersign(tenant, org)
    first = start_one()
    act(org.client("marketer"), todo(org.client("marketer"))[0], "approve")
    assert instance(clerk, first["id"])["status"] == "running"
    assert len(todo(org.client("marketer2"))) == 1
    act(org.client("marketer2"), todo(org.client("marketer2"))[0], "approve")
    assert instance(clerk, first["id"])["status"] == "approved"

    second = start_one()
    act(org.client("marketer"), todo(org.client("marketer"))[0], "approve")
    act(org.client("marketer2"), todo(org.client("marketer2"))[0], "reject")
    assert instance(clerk, second["id"])["status"] == "rejected"
