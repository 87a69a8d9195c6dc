"""Files attached to a decision: uploaded for the task itself, so a step needs no file field
on its form; only the person the task waits on may upload, and only while it is open."""

from __future__ import annotations

from tests.flows_fixtures import (
    act,
    instance,
)
from tests.flows_toolset_fixtures import send_file, waiting_at_head


def test_an_approver_attaches_a_file_to_a_step_whose_form_has_no_file_field(tenant):
    org, head, task, started = waiting_at_head(tenant)
    sent = send_file(
        head, b"%PDF-1.4 report", "质检报告.pdf", "application/pdf", task_id=task["id"]
    )
    assert sent.status_code == 201, sent.json
    act(head, task, "approve", comment="见报告", attachments=[sent.json["id"]])
    events = instance(head, started["id"])["events"]
    approve = next(e for e in events if e["action"] == "approve")
    assert [a["name"] for a in approve["attachments"]] == ["质检报告.pdf"]
    download = head.get(f"/api/v1/attachments/{sent.json['id']}")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 report"


def test_only_the_person_the_open_task_waits_on_may_upload_for_it(tenant):
    org, head, task, _ = waiting_at_head(tenant)
    clerk = org.client("clerk")
    other = send_file(clerk, b"x", "a.pdf", "application/pdf", task_id=task["id"])
    assert other.status_code == 403
    missing = send_file(head, b"x", "a.pdf", "application/pdf", task_id=99_999_999)
    assert missing.status_code == 404
    act(head, task, "approve")
    late = send_file(head, b"x", "a.pdf", "application/pdf", task_id=task["id"])
    assert late.status_code == 409 and late.json["code"] == "task_closed"


def test_a_decision_file_of_the_wrong_kind_or_target_is_refused_by_field(tenant):
    _, head, task, _ = waiting_at_head(tenant)
    program = send_file(head, b"MZ", "run.exe", "application/x-msdownload", task_id=task["id"])
    assert program.status_code == 422 and "file" in program.json["errors"]
    both = send_file(
        head, b"x", "a.pdf", "application/pdf", task_id=task["id"], form_id=1, field="f"
    )
    assert both.status_code == 422 and "form.task_id" in both.json["errors"]
    neither = send_file(head, b"x", "a.pdf", "application/pdf")
    assert neither.status_code == 422 and "form.form_id" in neither.json["errors"]
