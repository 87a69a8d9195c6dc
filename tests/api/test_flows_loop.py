"""A flow that loops back through a review step 500 times keeps working to the end, ends only
when its exit condition holds, and what each step saves does not grow with the rounds."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import FlowInstance, FlowPassedStep
from tests.flows_fixtures import Org, act, add_record, disposal_form, instance, make_flow, start
from tests.forms_fixtures import records_url

ROUNDS = 500


def loop_bpmn(form_key: str) -> str:
    """The department head reviews until the record's note says "done"."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:gs="urn:greenshelf:bpmn:1" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="review_loop" name="Review loop" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <bpmn:userTask id="review" name="Review" gs:form="{form_key}" gs:assignee="dept_head"/>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="settled"/>
    <bpmn:exclusiveGateway id="settled" default="again"/>
    <bpmn:sequenceFlow id="out" sourceRef="settled" targetRef="end">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"
        ><![CDATA[{{"==": [{{"var": "note"}}, "done"]}}]]></bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="again" sourceRef="settled" targetRef="review"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def _saved(app_db, instance_id: int) -> tuple[int, int]:
    """(size of the saved live state, completed steps stored apart from it)."""
    with app_db() as session:
        state = session.scalar(sa.select(FlowInstance.state).where(FlowInstance.id == instance_id))
        passed = session.scalar(
            sa.select(sa.func.count())
            .select_from(FlowPassedStep)
            .where(FlowPassedStep.instance_id == instance_id)
        )
    return len(state), passed


def _open_review(client, instance_id: int) -> dict:
    [task] = [
        t
        for t in client.get("/api/v1/flow-tasks?box=todo&page_size=5").json["items"]
        if t["instance_id"] == instance_id
    ]
    return task


@pytest.mark.slow
def test_a_review_loop_of_500_rounds_runs_to_its_exit_condition(tenant, app_db):
    org = Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, bpmn=loop_bpmn(form["key"]))
    clerk, head = org.client("clerk"), org.client("head")
    record = add_record(clerk, form, note="")
    started = start(clerk, flow, record)

    sizes, growth = [], []
    for round_ in range(1, ROUNDS + 1):
        task = _open_review(head, started["id"])
        if round_ == ROUNDS:  # the exit condition holds only now
            current = clerk.get(f"{records_url(form)}/{record['id']}").json
            changed = clerk.patch(
                f"{records_url(form)}/{record['id']}",
                json={"values": {"note": "done"}, "row_version": current["_row_version"]},
            )
            assert changed.status_code == 200, changed.json
        elif round_ % 100 == 0:  # send it back once in a while, then approve again
            act(head, task, "return", comment=f"round {round_}: again")
            task = _open_review(head, started["id"])
        before = _saved(app_db, started["id"])
        act(head, task, "approve", comment=f"round {round_}")
        after = _saved(app_db, started["id"])
        if round_ < ROUNDS:
            assert instance(clerk, started["id"])["status"] == "running", round_
            sizes.append(after[0])
            growth.append(after[1] - before[1])

    detail = instance(clerk, started["id"])
    assert detail["status"] == "approved"
    approvals = [e for e in detail["events"] if e["action"] == "approve"]
    assert len(approvals) == ROUNDS and approvals[-1]["comment"] == f"round {ROUNDS}"
    # What each step writes stays flat: the live state does not grow, and each round
    # stores the same few completed steps once.
    assert max(sizes[-50:]) <= max(sizes[:50]) * 1.05, (sizes[:5], sizes[-5:])
    # A returned round re-runs a step that is already stored, so it stores nothing new.
    assert set(growth[10:]) == {0, 2} and growth.count(0) == (ROUNDS - 1) // 100, growth
