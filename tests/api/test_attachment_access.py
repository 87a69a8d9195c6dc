"""Who may download an uploaded file: whoever uploaded it, whoever may read a record (or a
sub-table line of one) holding it, and the people of a flow whose decision carries it.
Reading records in general is not enough."""

from __future__ import annotations

import io

from tests.flows_fixtures import act, todo
from tests.flows_toolset_fixtures import send_file, waiting_at_head
from tests.forms_fixtures import PNG, make_form, records_url

FIELDS = [
    {"key": "batch_no", "type": "text", "label": "批次号"},
    {"key": "photos", "type": "image", "label": "照片"},
    {
        "key": "lines",
        "type": "subtable",
        "label": "明细",
        "fields": [
            {"key": "sku", "type": "text", "label": "SKU"},
            {"key": "scan", "type": "attachment", "label": "单据"},
        ],
    },
]


def _upload(client, form, field: str, name: str) -> int:
    sent = client.post(
        "/api/v1/attachments",
        data={"file": (io.BytesIO(PNG), name, "image/png"), "form_id": form["id"], "field": field},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 201, sent.json
    return sent.json["id"]


def _reader(tenant, name: str, data_scope: str):
    role = tenant.admin.post(
        "/api/v1/roles",
        json={
            "name": name,
            "code": name,
            "permissions": ["records.read", "records.write"],
            "data_scope": data_scope,
        },
    ).json
    return tenant.user_client(name, role_ids=[role["id"]])


def test_a_file_in_a_record_is_for_those_who_may_read_that_record(tenant):
    form = make_form(tenant, fields=FIELDS)
    owner = _reader(tenant, "owner", "own")
    other = _reader(tenant, "other", "own")
    everyone = _reader(tenant, "everyone", "all")
    photo = _upload(owner, form, "photos", "front.png")
    scan = _upload(owner, form, "photos", "scan.png")  # a line's file goes up the same way
    loose = _upload(owner, form, "photos", "never-saved.png")
    saved = owner.post(
        records_url(form),
        json={"batch_no": "B-1", "photos": [photo], "lines": [{"sku": "S1", "scan": [scan]}]},
    )
    assert saved.status_code == 201, saved.json

    for file_id in (photo, scan, loose):  # the uploader
        assert owner.get(f"/api/v1/attachments/{file_id}").data == PNG
    for file_id in (photo, scan):  # in a record they may read, or in one of its lines
        assert everyone.get(f"/api/v1/attachments/{file_id}").status_code == 200
        assert tenant.admin.get(f"/api/v1/attachments/{file_id}").status_code == 200
    for file_id in (photo, scan, loose):  # reads records, but not this one
        refused = other.get(f"/api/v1/attachments/{file_id}")
        assert refused.status_code == 403, file_id
    assert everyone.get(f"/api/v1/attachments/{loose}").status_code == 403

    # once the record is in the bin, its files go with it
    record_id = saved.json["id"]
    assert tenant.admin.delete(f"{records_url(form)}/{record_id}").status_code in (200, 204)
    assert everyone.get(f"/api/v1/attachments/{photo}").status_code == 403
    assert tenant.admin.get("/api/v1/attachments/99999999").status_code == 404


def test_a_decision_file_is_for_the_flow_people_only(tenant):
    org, head, task, started = waiting_at_head(tenant)
    sent = send_file(head, b"%PDF-1.4 r", "r.pdf", "application/pdf", task_id=task["id"])
    act(head, task, "approve", attachments=[sent.json["id"]])
    clerk = org.client("clerk")  # started the flow
    assert clerk.get(f"/api/v1/attachments/{sent.json['id']}").status_code == 200
    outsider = _reader(tenant, "outsider", "all")
    refused = outsider.get(
        f"/api/v1/attachments/{sent.json['id']}", headers={"Accept-Language": "zh-CN"}
    )
    assert refused.status_code == 403
    assert refused.json["message"] == "只有能查看包含此文件的记录或流程的人才能下载。"


def test_a_decision_cannot_carry_a_file_its_approver_may_not_read(tenant):
    org, head, task, started = waiting_at_head(tenant)
    form = make_form(tenant, fields=FIELDS)
    stranger = _reader(tenant, "stranger", "own")
    hidden = _upload(stranger, form, "photos", "private.png")
    refused = act(head, task, "approve", status=422, attachments=[hidden])
    assert "attachments.0" in refused["errors"]
    assert todo(head)  # nothing was decided
    assert head.get(f"/api/v1/attachments/{hidden}").status_code == 403
