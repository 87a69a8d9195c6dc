"""An approver reads the names of what a task's record points at (a batch, a person, a
department), even where their own access would not let them open the batch."""

from __future__ import annotations

from tests.flows_fixtures import Org, add_record, make_flow, start, todo
from tests.forms_fixtures import make_form, records_url

BATCH_FIELDS = [{"key": "batch_no", "type": "text", "label": "批次号", "required": True}]


def _disposal_form(tenant, batches: dict) -> dict:
    relation = {"form": batches["key"], "display": "batch_no"}
    return make_form(
        tenant,
        fields=[
            {"key": "batch_no", "type": "text", "label": "处置单号", "required": True},
            {"key": "qty", "type": "integer", "label": "数量"},
            {"key": "batch", "type": "relation", "label": "批次", "relation": relation},
            {"key": "spare", "type": "relation", "label": "备用批次", "relation": relation},
            {"key": "owner", "type": "user", "label": "负责人"},
            {"key": "warehouse", "type": "department", "label": "仓库"},
        ],
    )


# The warehouse head approves, without seeing the spare batch on this step.
TREE = {
    "type": "initiator",
    "child": {
        "type": "approver",
        "id": "manager",
        "name": "仓库主管",
        "assignee": "dept_head",
        "fields": {"spare": "hidden"},
    },
}


def test_an_approver_reads_the_names_the_record_points_at(tenant):
    org = Org(tenant)
    batches = make_form(tenant, fields=BATCH_FIELDS)
    form = _disposal_form(tenant, batches)
    flow = make_flow(tenant, form, tree=TREE)
    clerk = org.client("clerk")
    batch = clerk.post(records_url(batches), json={"batch_no": "B-20260101"}).json
    spare = clerk.post(records_url(batches), json={"batch_no": "B-20260102"}).json
    record = add_record(
        clerk,
        form,
        batch=batch["id"],
        spare=spare["id"],
        owner=org.ids["director"],
        warehouse=org.department_id,
    )
    start(clerk, flow, record)

    head = org.client("head")
    # the head may read no records of their own: the batch itself stays closed to them
    assert head.get(f"{records_url(batches)}/{batch['id']}").status_code == 403
    [task] = todo(head)
    detail = head.get(f"/api/v1/flow-tasks/{task['id']}")
    assert detail.status_code == 200, detail.json
    assert detail.json["record"]["batch"] == batch["id"]
    assert detail.json["titles"] == {
        "batch": {str(batch["id"]): "B-20260101"},
        "owner": {str(org.ids["director"]): "director"},
        "warehouse": {str(org.department_id): "华东仓"},
    }
