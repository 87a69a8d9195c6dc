"""Files attached to a decision: uploaded for the task itself, so a step needs no file field
on its form; only the person the task waits on may upload, and only while it is open."""

from __future__ import annotations

import io

from tests.api.test_flows_toolset import chain
from tests.flows_fixtures import (
    DISPOSAL_FIELDS,
    Org,
    act,
    add_record,
    instance,
    make_flow,
    start,
    todo,
)
from tests.forms_fixtures import make_form


def _send(client, content: bytes, name: str, kind: str, **target):
    return client.post(
        "/api/v1/attachments",
        data={"file": (io.BytesIO(content), name, kind), **target},
        content_type="multipart/form-data",
    )


def _waiting(tenant):
    org = Org(tenant)
    form = make_form(tenant, fields=DISPOSAL_FIELDS, key="no_file_field")
    flow = make_flow(tenant, form, tree=chain({"id": "check", "assignee": "dept_head"}))
    clerk = org.client("clerk")
    started = start(clerk, flow, add_record(clerk, form, category="A", level="red"))
    head = org.client("head")
    return org, head, todo(head)[0], started


def test_an_approver_attaches_a_file_to_a_step_whose_form_has_no_file_field(tenant):
    org, head, task, started = _waiting(tenant)
    sent = _send(head, b"%PDF-1.4 report", "质检报告.pdf", "application/pdf", task_id=task["id"])
    assert sent.status_code == 201, sent.json
    act(head, task, "approve", comment="见报告", attachments=[sent.json["id"]])
    events = instance(head, started["id"])["events"]
    approve = next(e for e in events if e["action"] == "approve")
    assert [a["name"] for a in approve["attachments"]] == ["质检报告.pdf"]
    download = head.get(f"/api/v1/attachments/{sent.json['id']}")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 report"


def test_only_the_person_the_open_task_waits_on_may_upload_for_it(tenant):
    org, head, task, _ = _waiting(tenant)
    clerk = org.client("clerk")
    other = _send(clerk, b"x", "a.pdf", "application/pdf", task_id=task["id"])
    assert other.status_code == 403
    missing = _send(head, b"x", "a.pdf", "application/pdf", task_id=99_999_999)
    assert missing.status_code == 404
    act(head, task, "approve")
    late = _send(head, b"x", "a.pdf", "application/pdf", task_id=task["id"])
    assert late.status_code == 409 and late.json["code"] == "task_closed"


def test_a_decision_file_of_the_wrong_kind_or_target_is_refused_by_field(tenant):
    _, head, task, _ = _waiting(tenant)
    program = _send(head, b"MZ", "run.exe", "application/x-msdownload", task_id=task["id"])
    assert program.status_code == 422 and "file" in program.json["errors"]
    both = _send(head, b"x", "a.pdf", "application/pdf", task_id=task["id"], form_id=1, field="f")
    assert both.status_code == 422 and "form.task_id" in both.json["errors"]
    neither = _send(head, b"x", "a.pdf", "application/pdf")
    assert neither.status_code == 422 and "form.form_id" in neither.json["errors"]
