"""How seats decide together and what each decision plans, on plain data; and the toolset's
settings compiled from the simple designer and run from BPMN."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from engine_errors import Conflict, Forbidden, ValidationError
from flow_engine import approvals, assignment
from flow_engine.approvals import Decision, Policy, Seat
from flow_engine.definitions import Catalogue, FormFacts, validate
from flow_engine.runtime import Facts, Flow
from flow_engine.simple_designer import compile_tree

FORM = FormFacts("disposal", {"qty": "integer", "note": "string", "category": "string"})


def seats(mode: str, *statuses: str) -> list[Seat]:
    return [Seat(i, "t", 10 + i, s, mode) for i, s in enumerate(statuses, start=1)]


@pytest.mark.parametrize(
    "text, share",
    [("2/3", Fraction(2, 3)), ("60%", Fraction(3, 5)), ("1/1", Fraction(1)), ("100%", Fraction(1))],
)
def test_ratios_read_as_shares(text, share):
    assert approvals.parse_ratio(text) == share


@pytest.mark.parametrize("text", ["0/3", "4/3", "0%", "150%", "half", "", None, "1/0"])
def test_bad_ratios_are_refused(text):
    with pytest.raises(ValidationError):
        approvals.parse_ratio(text)


@pytest.mark.parametrize(
    "statuses, expected",
    [
        (("approved", "open", "open"), None),
        (("approved", "approved", "open"), "approved"),
        (("rejected", "approved", "open"), None),
        (("rejected", "rejected", "open"), "rejected"),
        (("approved", "approved", "cancelled", "transferred"), "approved"),  # they do not vote
    ],
)
def test_a_two_thirds_countersign_is_decided_when_certain(statuses, expected):
    policy = Policy(mode="ratio", ratio=Fraction(2, 3))
    assert approvals.outcome(policy, seats("ratio", *statuses)) == expected


def test_a_ratio_plan_cancels_the_seats_nobody_needs_any_more():
    a, b, c = seats("ratio", "open", "approved", "open")
    plan = approvals.plan(Decision("approve", 11), a, [a, b, c], Policy("ratio", Fraction(2, 3)))
    assert plan.complete == "t" and plan.statuses == {1: "approved", 3: "cancelled"}


def test_a_sequential_list_opens_the_next_seat_in_order():
    a, b, c = seats("sequential", "open", "queued", "queued")
    policy = Policy(mode="sequential")
    plan = approvals.plan(Decision("approve", 11), a, [a, b, c], policy)
    assert plan.statuses == {1: "approved", 2: "open"} and plan.complete is None
    a, b, c = seats("sequential", "approved", "approved", "open")
    assert approvals.plan(Decision("approve", 13), c, [a, b, c], policy).complete == "t"
    a, b, c = seats("sequential", "approved", "open", "queued")
    rejected = approvals.plan(Decision("reject", 12), b, [a, b, c], policy)
    assert rejected.reject and rejected.statuses[3] == "cancelled"


def test_adding_a_signer_before_parks_the_seat_until_they_approve():
    (a,) = seats("any", "open")
    plan = approvals.plan(Decision("add_signer", 11, to_user=20, position="before"), a, [a])
    assert plan.statuses == {1: "waiting"}
    assert plan.new_seats == [approvals.NewSeat(20, resumes=1)]
    added = Seat(2, "t", 20, "open", "any", resumes=1)
    parked = Seat(1, "t", 11, "waiting", "any")
    back = approvals.plan(Decision("approve", 20), added, [parked, added])
    assert back.statuses == {2: "approved", 1: "open"} and back.complete is None
    refused = approvals.plan(Decision("reject", 20), added, [parked, added])
    assert refused.reject and refused.statuses[1] == "cancelled"


def test_adding_a_signer_after_approves_now_and_waits_for_them():
    a, b = seats("any", "open", "open")
    plan = approvals.plan(Decision("add_signer", 11, to_user=20, position="after"), a, [a, b])
    assert plan.statuses == {1: "approved", 2: "cancelled"} and plan.complete is None
    assert plan.new_seats == [approvals.NewSeat(20)]
    added = Seat(3, "t", 20, "open", "any")
    done = Seat(1, "t", 11, "approved", "any")
    assert approvals.plan(Decision("approve", 20), added, [done, added]).complete == "t"


def test_delegating_keeps_whom_the_seat_is_for():
    (a,) = seats("all", "open")
    plan = approvals.plan(Decision("delegate", 11, to_user=20), a, [a])
    assert plan.statuses == {1: "delegated"} and plan.new_seats[0].delegated


def test_a_policy_refuses_disabled_actions_and_missing_comments():
    policy = Policy.of({"actions": ["reject"], "comment_required": ["reject"]})
    assert policy.buttons() == ["approve", "reject"]
    (a,) = seats("any", "open")
    with pytest.raises(Forbidden):
        approvals.plan(Decision("return", 11), a, [a], policy)
    with pytest.raises(ValidationError) as caught:
        approvals.plan(Decision("reject", 11, comment=" "), a, [a], policy)
    assert caught.value.errors == {"comment": ["Required."]}
    assert approvals.plan(Decision("reject", 11, comment="不行"), a, [a], policy).reject
    with pytest.raises(Conflict):
        approvals.plan(Decision("approve", 11), Seat(1, "t", 11, "waiting"), [])


def test_an_expression_assignment_takes_the_rest_of_the_text():
    rules = assignment.parse(
        'user:ann expr:{"if": [{"==": [{"var": "category"}, "A"]}, "bob", "4"]}'
    )
    assert [r.kind for r in rules] == ["user", "expr"]
    assignment.check(str(rules[1]), [], None, FORM.fields)
    with pytest.raises(ValidationError):
        assignment.check('expr:{"==": [{"var": "qty"}, 1]}', [], None, FORM.fields)
    with pytest.raises(ValidationError):
        assignment.parse("expr:{not json")


@pytest.mark.parametrize("policy", ["refuse", "auto_reject", "admins", "user:ann"])
def test_empty_policies(policy):
    assert assignment.check_empty_policy(policy) == policy


@pytest.mark.parametrize("policy", ["role:x", "user:", "never", "user:a user:b"])
def test_bad_empty_policies(policy):
    with pytest.raises(ValidationError):
        assignment.check_empty_policy(policy)


TREE = {
    "type": "initiator",
    "admins": "role:finance",
    "dedupe": True,
    "child": {
        "type": "approver",
        "id": "review",
        "assignee": "user:1",
        "mode": "sequential",
        "actions": ["reject", "return"],
        "comment_required": ["reject"],
        "fields": {"qty": "editable", "note": "hidden"},
        "reject_to": "rework",
        "child": {"type": "approver", "id": "rework", "assignee": "user:2"},
    },
}


def _flow(xml: str) -> tuple[Flow, dict]:
    definition = validate(xml, FORM, Catalogue(roles=frozenset({"finance"})))
    facts = Facts({"qty": 1, "note": None, "category": "A"}, FORM.fields, date(2026, 1, 1))
    return Flow.start(definition.spec, facts), definition.nodes


def test_the_simple_designer_compiles_settings_and_a_reject_path_that_runs():
    compiled = compile_tree(TREE, "disposal", "p", "P")
    assert 'gs:path="reject"' in compiled.xml and 'gs:dedupe="true"' in compiled.xml
    flow, nodes = _flow(compiled.xml)
    review = nodes["review"]
    assert review["mode"] == "sequential" and review["reject_to"] == "rework"
    assert review["fields"] == {"qty": "editable", "note": "hidden"}
    assert nodes[next(k for k, n in nodes.items() if n["type"] == "startEvent")]["dedupe"]

    [waiting] = flow.waiting()
    flow.complete(waiting.task_id, "rejected")
    [rework] = flow.waiting()
    assert rework.node_id == "rework"
    assert [w.node_id for w in flow.earlier_user_tasks(rework.task_id)] == ["review"]
    flow.complete(rework.task_id)
    assert flow.finished


def test_an_approved_step_with_a_reject_path_goes_on_normally():
    flow, _ = _flow(compile_tree(TREE, "disposal", "p", "P").xml)
    [waiting] = flow.waiting()
    flow.complete(waiting.task_id)
    assert [w.node_id for w in flow.waiting()] == ["rework"]
