"""What a step lets its approver do and see, through the API: enabled buttons, required
comments, field permissions with edits saved under the record's lock, and a history with
attachments. The same settings deploy from BPMN."""

from __future__ import annotations

import io

import pytest

from tests.flows_fixtures import (
    DISPOSAL_FIELDS,
    Org,
    act,
    add_record,
    instance,
    make_flow,
    start,
    todo,
    two_step_bpmn,
)
from tests.flows_toolset_fixtures import chain
from tests.forms_fixtures import make_form, records_url

FIELDS = [*DISPOSAL_FIELDS, {"key": "photo", "type": "attachment", "label": "照片"}]


@pytest.fixture
def org(tenant):
    return Org(tenant)


def _started(tenant, org, node: dict):
    form = make_form(tenant, fields=FIELDS, key="disposal_fields")
    flow = make_flow(tenant, form, tree=chain({"id": "check", "assignee": "dept_head", **node}))
    clerk = org.client("clerk")
    record = add_record(clerk, form, category="A", level="red", note="仅主管可见")
    started = start(clerk, flow, record)
    return form, record, started


def test_disabled_actions_are_refused_and_the_task_lists_the_enabled_ones(tenant, org):
    _started(tenant, org, {"actions": ["reject", "cc"]})
    head = org.client("head")
    task = todo(head)[0]
    detail = head.get(f"/api/v1/flow-tasks/{task['id']}").json
    assert detail["actions"] == ["approve", "reject", "cc"]
    for action in ("return", "transfer", "delegate", "add-signer"):
        body = {} if action == "return" else {"user_id": org.ids["director"]}
        refused = head.post(
            f"/api/v1/flow-tasks/{task['id']}/{action}",
            json=body,
            headers={"Accept-Language": "zh-CN"},
        )
        assert refused.status_code == 403 and refused.json["code"] == "action_disabled"
        assert "未启用" in refused.json["message"]
    act(head, task, "reject")


def test_a_closed_task_offers_no_buttons(tenant, org):
    _started(tenant, org, {})
    head = org.client("head")
    task = todo(head)[0]
    assert "transfer" in head.get(f"/api/v1/flow-tasks/{task['id']}").json["actions"]
    act(head, task, "approve")
    assert head.get(f"/api/v1/flow-tasks/{task['id']}").json["actions"] == []


def test_a_comment_can_be_required_to_reject_or_return(tenant, org):
    _started(tenant, org, {"comment_required": ["reject", "return"]})
    head = org.client("head")
    task = todo(head)[0]
    assert head.get(f"/api/v1/flow-tasks/{task['id']}").json["comment_required"] == [
        "reject",
        "return",
    ]
    missing = act(head, task, "reject", status=422, comment="  ")
    assert missing["errors"] == {"comment": ["Required."]}
    act(head, task, "reject", comment="批次号有误")


def test_field_permissions_hide_protect_and_save_edits_under_the_record_lock(tenant, org):
    form, record, _ = _started(
        tenant, org, {"fields": {"qty": "editable", "note": "hidden", "owner": "readonly"}}
    )
    head = org.client("head")
    task = todo(head)[0]
    detail = head.get(f"/api/v1/flow-tasks/{task['id']}").json
    assert "note" not in detail["record"] and detail["record"]["qty"] == 10
    assert detail["fields"]["qty"] == "editable" and detail["fields"]["note"] == "hidden"
    assert detail["fields"]["level"] == "readonly"  # unnamed fields are read-only
    version = detail["record"]["_row_version"]

    for key, value in (("note", "改"), ("level", "yellow"), ("owner", org.ids["head"])):
        refused = act(
            head, task, "approve", status=422, values={key: value}, record_row_version=version
        )
        assert list(refused["errors"]) == [f"values.{key}"]
    assert (
        "record_row_version" in act(head, task, "approve", status=422, values={"qty": 5})["errors"]
    )
    bad = act(head, task, "approve", status=422, values={"qty": "many"}, record_row_version=version)
    assert "values.qty" in bad["errors"]
    stale = act(
        head, task, "approve", status=409, values={"qty": 5}, record_row_version=version - 1
    )
    assert stale["code"] == "conflict"

    act(head, task, "approve", values={"qty": 7}, record_row_version=version, comment="改为 7")
    saved = org.client("clerk").get(f"{records_url(form)}/{record['id']}").json
    assert saved["qty"] == 7 and saved["note"] == "仅主管可见"
    assert saved["_row_version"] == version + 1


def test_the_history_keeps_actor_time_comment_and_attachments(tenant, org):
    form, _, started = _started(tenant, org, {})
    head = org.client("head")
    task = todo(head)[0]
    upload = head.post(
        "/api/v1/attachments",
        data={"file": (io.BytesIO(b"photo"), "现场.jpg", "image/jpeg"), "task_id": task["id"]},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201, upload.json
    wrong = act(head, task, "approve", status=422, attachments=[99999999])
    assert "attachments.0" in wrong["errors"]
    act(head, task, "approve", comment="同意，见照片", attachments=[upload.json["id"]])

    events = instance(head, started["id"])["events"]
    approve = next(e for e in events if e["action"] == "approve")
    assert approve["actor_name"] == "head" and approve["comment"] == "同意，见照片"
    assert approve["at"] and approve["on_behalf_of"] is None
    assert approve["attachments"] == [
        {"id": upload.json["id"], "name": "现场.jpg", "size": 5, "content_type": "image/jpeg"}
    ]


BPMN_SETTINGS = {
    "gs:mode": "ratio",
    "gs:ratio": "60%",
    "gs:actions": "reject return",
    "gs:commentRequired": "reject",
    "gs:fields": "qty:editable note:hidden",
    "gs:self": "skip",
    "gs:empty": "auto_approve",
}


def test_bpmn_carries_the_same_settings(tenant, org):
    form = make_form(tenant, fields=FIELDS, key="disposal_bpmn")
    xml = two_step_bpmn(form["key"], **BPMN_SETTINGS)
    flow = make_flow(tenant, form, bpmn=xml)
    version = tenant.admin.get(f"/api/v1/flows/{flow['id']}/versions/1").json
    manager = version["nodes"]["manager"]
    assert manager["ratio"] == "60%" and manager["actions"] == ["reject", "return"]
    assert manager["fields"] == {"qty": "editable", "note": "hidden"}
    clerk = org.client("clerk")
    start(clerk, flow, add_record(clerk, form))
    head = org.client("head")
    detail = head.get(f"/api/v1/flow-tasks/{todo(head)[0]['id']}").json
    assert detail["actions"] == ["approve", "reject", "return"]
    assert detail["comment_required"] == ["reject"] and "note" not in detail["record"]


def test_bpmn_reject_path(tenant, org):
    form = make_form(tenant, fields=FIELDS, key="disposal_reject")
    xml = two_step_bpmn(form["key"]).replace(
        '<bpmn:sequenceFlow id="f5" sourceRef="director" targetRef="end"/>',
        '<bpmn:sequenceFlow id="f5" sourceRef="director" targetRef="end"/>'
        '<bpmn:sequenceFlow id="f6" sourceRef="director" targetRef="manager" gs:path="reject"/>',
    )
    flow = make_flow(tenant, form, bpmn=xml)
    clerk, head, director = org.client("clerk"), org.client("head"), org.client("director")
    started = start(clerk, flow, add_record(clerk, form, qty=500))
    act(head, todo(head)[0], "approve")
    act(director, todo(director)[0], "reject", comment="重新确认数量")
    [again] = todo(head)
    assert again["node_id"] == "manager"
    act(head, again, "approve")
    act(director, todo(director)[0], "approve")
    assert instance(clerk, started["id"])["status"] == "approved"


@pytest.mark.parametrize(
    "extra, message",
    [
        (
            '<bpmn:sequenceFlow id="f6" sourceRef="big" targetRef="end" gs:path="reject"/>',
            "user task",
        ),
        (
            '<bpmn:sequenceFlow id="f6" sourceRef="director" targetRef="end" gs:path="back"/>',
            "gs:path",
        ),
    ],
)
def test_bad_bpmn_reject_paths_are_refused(tenant, org, extra, message):
    form = make_form(tenant, fields=FIELDS, key="disposal_bad")
    xml = two_step_bpmn(form["key"]).replace("<bpmn:endEvent", extra + "<bpmn:endEvent")
    flow = make_flow(tenant, form)
    response = tenant.admin.post(f"/api/v1/flows/{flow['id']}/versions", json={"bpmn": xml})
    assert response.status_code == 422
    assert any(message in m for m in response.json["errors"]["f6"]), response.json
