"""Who gets a step, through the API: out-of-office delegations, assignment by expression and
by department head levels, the empty-approver and initiator policies, and asking the same
person once on consecutive steps."""

from __future__ import annotations

from datetime import date, timedelta

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
)
from tests.flows_toolset_fixtures import chain, history, run_flow, status


@pytest.fixture
def org(tenant):
    return Org(tenant)


def _delegate(client, delegate_id: int, **extra):
    today = date.today()
    body = {
        "delegate_id": delegate_id,
        "starts_on": str(today - timedelta(days=1)),
        "ends_on": str(today + timedelta(days=3)),
        "reason": "出差",
        **extra,
    }
    return client.post("/api/v1/flow-delegations", json=body)


def test_an_out_of_office_delegate_gets_new_tasks_on_behalf_of_the_approver(tenant, org):
    head, accountant = org.client("head"), org.client("accountant")
    created = _delegate(head, org.ids["accountant"])
    assert created.status_code == 201, created.json
    assert created.json["delegate_name"] == "accountant"
    assert [d["id"] for d in accountant.get("/api/v1/flow-delegations").json["items"]] == [
        created.json["id"]
    ]

    started = run_flow(tenant, org, chain({"id": "manager", "assignee": "dept_head"}))
    assert todo(head) == []
    [task] = todo(accountant)
    assert task["on_behalf_of_id"] == org.ids["head"]
    act(accountant, task, "approve")
    events = instance(org.client("clerk"), started["id"])["events"]
    event = next(e for e in events if e["action"] == "approve")
    assert event["actor_name"] == "accountant" and event["on_behalf_of"]["name"] == "head"

    cancelled = head.delete(f"/api/v1/flow-delegations/{created.json['id']}")
    assert cancelled.status_code == 200 and cancelled.json["cancelled"] is True
    run_flow(tenant, org, chain({"id": "manager", "assignee": "dept_head"}))
    assert len(todo(head)) == 1


def test_a_delegation_for_one_flow_leaves_the_others_alone(tenant, org):
    head = org.client("head")
    form = disposal_form(tenant)
    covered = make_flow(tenant, form, tree=chain({"assignee": "dept_head"}))
    other = make_flow(tenant, form, tree=chain({"assignee": "dept_head"}))
    assert _delegate(head, org.ids["director"], definition_id=covered["id"]).status_code == 201
    clerk = org.client("clerk")
    start(clerk, covered, add_record(clerk, form))
    start(clerk, other, add_record(clerk, form))
    assert [t["title"] for t in todo(org.client("director"))] and len(todo(head)) == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"delegate_id": "self"}, "delegate_id"),
        ({"delegate_id": 99999999}, "delegate_id"),
        ({"ends_on": "2000-01-01"}, "ends_on"),
        ({"definition_id": 99999999}, None),
    ],
)
def test_a_delegation_needs_someone_else_and_a_sane_period(tenant, org, body, field):
    head = org.client("head")
    if body.get("delegate_id") == "self":
        body = {**body, "delegate_id": org.ids["head"]}
    response = _delegate(head, **{"delegate_id": org.ids["director"], **body})
    assert response.status_code in (404, 422), response.json
    if field:
        assert field in response.json["errors"]


def test_overlapping_delegations_are_refused(tenant, org):
    head = org.client("head")
    assert _delegate(head, org.ids["director"]).status_code == 201
    again = _delegate(head, org.ids["accountant"])
    assert again.status_code == 409 and again.json["code"] == "delegation_overlaps"


def test_an_expression_picks_the_approver_from_the_record(tenant, org):
    pick = 'expr:{"if": [{"==": [{"var": "category"}, "A"]}, "director", "marketer"]}'
    tree = chain({"id": "pick", "assignee": pick})
    run_flow(tenant, org, tree, category="A")
    run_flow(tenant, org, tree, category="B")
    assert len(todo(org.client("director"))) == 1 and len(todo(org.client("marketer"))) == 1


def test_department_head_levels_up_and_user_fields(tenant, org):
    boss = tenant.add_user("boss")
    top = tenant.admin.post(
        "/api/v1/departments", json={"name": "华东大区", "head_user_id": boss["id"]}
    )
    moved = tenant.admin.patch(
        f"/api/v1/departments/{org.department_id}", json={"parent_id": top.json["id"]}
    )
    assert moved.status_code == 200, moved.json
    run_flow(tenant, org, chain({"assignee": "dept_head:2"}))
    boss_client = tenant.client()
    assert boss_client.login("boss", "user-pass-123", tenant.slug).status_code == 200
    assert len(todo(boss_client)) == 1
    run_flow(tenant, org, chain({"assignee": "field:owner"}), owner=org.ids["marketer2"])
    assert len(todo(org.client("marketer2"))) == 1


@pytest.mark.parametrize(
    "empty, expected",
    [
        ("auto_approve", "approved"),
        ("auto_reject", "rejected"),
        ("user:accountant", "accountant"),
        ("admins", "accountant"),
    ],
)
def test_empty_approver_policies(tenant, org, empty, expected):
    tree = chain(
        {"id": "nobody", "assignee": "role:clerk_lead", "empty": empty}, admins="role:finance"
    )
    tenant.admin.post(
        "/api/v1/roles", json={"name": "lead", "code": "clerk_lead", "permissions": []}
    )
    started = run_flow(tenant, org, tree)
    if expected in ("approved", "rejected"):
        assert status(org, started) == expected
        assert [a for a, _ in history(org, started)][1] in ("auto_approve", "auto_reject")
    else:
        [task] = todo(org.client(expected))
        assert task["node_id"] == "nobody"


def test_refusing_to_start_when_nobody_can_approve(tenant, org):
    tenant.admin.post(
        "/api/v1/roles", json={"name": "lead", "code": "clerk_lead", "permissions": []}
    )
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, tree=chain({"name": "组长", "assignee": "role:clerk_lead"}))
    clerk = org.client("clerk")
    refused = start(clerk, flow, add_record(clerk, form), status=422)
    assert refused["code"] == "no_approver" and "组长" in refused["message"]
    assert clerk.get("/api/v1/flow-instances").json["total"] == 0


@pytest.mark.parametrize(
    "policy, who",
    [("approve", "clerk"), ("skip", None), ("dept_head", "head")],
)
def test_initiator_is_the_approver(tenant, org, policy, who):
    tree = chain(
        {"id": "self", "assignee": "user:clerk", "self": policy},
        {"id": "after", "assignee": "user:director"},
    )
    started = run_flow(tenant, org, tree)
    if who is None:
        assert todo(org.client("clerk")) == []
        assert todo(org.client("director"))[0]["node_id"] == "after"
        assert "skip" in [a for a, _ in history(org, started)]
    else:
        [task] = todo(org.client(who))
        assert task["node_id"] == "self"


@pytest.mark.parametrize("dedupe, asked", [(True, 1), (False, 2)])
def test_the_same_person_on_consecutive_steps_is_asked_once_when_the_flow_says_so(
    tenant, org, dedupe, asked
):
    tree = chain(
        {"id": "first", "assignee": "dept_head"},
        {"id": "second", "assignee": "user:head"},
        dedupe=dedupe,
    )
    started = run_flow(tenant, org, tree)
    head = org.client("head")
    for _ in range(asked):
        act(head, todo(head)[0], "approve")
    assert status(org, started) == "approved"
    actions = [a for a, _ in history(org, started)]
    assert actions.count("approve") == asked
    assert actions.count("auto_approve") == 2 - asked


@pytest.mark.parametrize(
    "node, path",
    [
        ({"assignee": "dept_head", "mode": "most"}, "tree.child.mode"),
        ({"assignee": "dept_head", "mode": "ratio"}, "tree.child"),
        ({"assignee": "dept_head", "mode": "ratio", "ratio": "3/2"}, "tree.child"),
        ({"assignee": "dept_head", "self": "never"}, "tree.child.self"),
        ({"assignee": "dept_head", "empty": "shrug"}, "tree.child"),
        ({"assignee": "dept_head", "actions": ["fly"]}, "tree.child"),
        ({"assignee": "dept_head", "fields": {"qty": "writable"}}, "tree.child"),
        ({"assignee": "dept_head", "fields": {"nope": "hidden"}}, "tree.child"),
        ({"assignee": "dept_head", "reject_to": "nowhere"}, "tree.child.reject_to"),
        ({"assignee": 'expr:{"var": "qty"'}, "tree.child"),
    ],
)
def test_bad_approver_settings_are_refused_at_deploy_with_the_node_path(tenant, node, path):
    form = disposal_form(tenant)
    flow = make_flow(tenant, form)
    response = tenant.admin.post(
        f"/api/v1/flows/{flow['id']}/versions",
        json={"tree": chain({"id": "step", **node})},
    )
    assert response.status_code == 422, response.json
    assert path in response.json["errors"], response.json
