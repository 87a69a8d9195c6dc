"""Whoever a task opens for hears of it, with a link that opens the task on the phone: a new
step, the next person of a sequential list, and the new holder of a transferred task."""

from __future__ import annotations

import pytest

from tests.flows_fixtures import Org, act, todo
from tests.flows_toolset_fixtures import chain, run_flow


@pytest.fixture
def org(tenant):
    return Org(tenant)


def _waiting_notes(client) -> list[dict]:
    notes = client.get("/api/v1/notifications").json["items"]
    return [n for n in notes if n["title"].startswith("待审批")]


def test_each_person_hears_when_their_seat_opens_and_the_link_opens_the_task(tenant, org):
    tree = chain({"id": "list", "assignee": "user:director user:marketer", "mode": "sequential"})
    run_flow(tenant, org, tree)
    director, marketer = org.client("director"), org.client("marketer")
    [task] = todo(director)
    [note] = _waiting_notes(director)
    assert note["link"] == f"/m/tasks/{task['id']}" and note["body"].startswith("请处理")
    assert _waiting_notes(marketer) == []  # queued: not yet theirs

    act(director, task, "approve")
    [next_task] = todo(marketer)
    assert [n["link"] for n in _waiting_notes(marketer)] == [f"/m/tasks/{next_task['id']}"]
    assert len(_waiting_notes(director)) == 1  # nothing more for whoever decided


def test_the_new_holder_of_a_transferred_task_hears_of_it(tenant, org):
    run_flow(tenant, org, chain({"id": "check", "assignee": "user:director"}))
    director, accountant = org.client("director"), org.client("accountant")
    act(director, todo(director)[0], "transfer", user_id=org.ids["accountant"])
    [task] = todo(accountant)
    assert [n["link"] for n in _waiting_notes(accountant)] == [f"/m/tasks/{task['id']}"]
