"""Flow versions: a running instance keeps its version, two versions compare node by node,
an earlier version comes back as a new one, and an administrator moves running instances
to a newer version after a preview, each all or nothing and recorded in its history."""

from __future__ import annotations

from tests.flows_fixtures import (
    Org,
    act,
    add_record,
    disposal_form,
    instance,
    make_flow,
    start,
    todo,
    two_step_bpmn,
)


def _deploy(client, flow, bpmn: str, status: int = 201) -> dict:
    response = client.post(f"/api/v1/flows/{flow['id']}/versions", json={"bpmn": bpmn})
    assert response.status_code == status, response.json
    return response.json


def _renamed(form_key: str) -> str:
    """Version 2: the director's step becomes the general manager's, under a new id."""
    return (
        two_step_bpmn(form_key)
        .replace('id="director" name="Director"', 'id="gm" name="General manager"')
        .replace('targetRef="director"', 'targetRef="gm"')
        .replace('sourceRef="director"', 'sourceRef="gm"')
    )


def _ours(client, instance_id: int) -> list[dict]:
    return [t for t in todo(client) if t["instance_id"] == instance_id]


def test_a_running_instance_keeps_its_version_after_new_deploys_and_a_rollback(tenant):
    org = Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, bpmn=two_step_bpmn(form["key"]))
    clerk, head = org.client("clerk"), org.client("head")
    old = start(clerk, flow, add_record(clerk, form, qty=5))
    # Version 2 sends every record to the director; version 3 is version 1 again.
    _deploy(tenant.admin, flow, two_step_bpmn(form["key"], condition="true"))
    newer = start(clerk, flow, add_record(clerk, form, qty=5))
    back = tenant.admin.post(f"/api/v1/flows/{flow['id']}/versions/1/rollback", json={})
    assert back.status_code == 201, back.json
    assert back.json["version"] == 3 and back.json["bpmn"] == two_step_bpmn(form["key"])
    latest = start(clerk, flow, add_record(clerk, form, qty=5))

    assert [instance(clerk, i["id"])["version"] for i in (old, newer, latest)] == [1, 2, 3]
    for started in (old, newer, latest):
        [task] = _ours(head, started["id"])
        act(head, task, "approve")
    # qty=5 goes to the director only on version 2.
    done = instance(clerk, old["id"])
    assert done["status"] == "approved"
    assert [s["node_id"] for s in done["path"]] == ["start", "manager", "big", "end"]
    assert instance(clerk, latest["id"])["status"] == "approved"
    assert [t["instance_id"] for t in todo(org.client("director"))] == [newer["id"]]


def test_two_versions_compare_node_by_node_with_names(tenant):
    Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, bpmn=two_step_bpmn(form["key"]))
    changed = _renamed(form["key"]).replace('"dept_head"', '"role:finance"')
    _deploy(tenant.admin, flow, changed.replace("100]", "50]"))
    diff = tenant.admin.get(f"/api/v1/flows/{flow['id']}/versions/diff?from_version=1&to_version=2")
    assert diff.status_code == 200, diff.json
    body = diff.json
    assert (body["from"]["version"], body["to"]["version"]) == (1, 2)
    assert body["nodes"]["added"] == [{"id": "gm", "name": "General manager", "type": "userTask"}]
    assert body["nodes"]["removed"] == [{"id": "director", "name": "Director", "type": "userTask"}]
    [manager] = body["nodes"]["changed"]
    assert manager["id"] == "manager" and manager["name"] == "Manager"
    assert manager["changes"] == {"assignee": ["dept_head", "role:finance"]}
    flows = {c["id"]: c["changes"] for c in body["flows"]["changed"]}
    assert flows["f3"]["target"] == ["director", "gm"]
    assert "50" in flows["f3"]["condition"][1] and flows["f5"] == {"source": ["director", "gm"]}

    missing = tenant.admin.get(
        f"/api/v1/flows/{flow['id']}/versions/diff?from_version=1&to_version=9"
    )
    assert missing.status_code == 404
    bad = tenant.admin.get(f"/api/v1/flows/{flow['id']}/versions/diff?from_version=x&to_version=2")
    assert bad.status_code == 422 and "query.from_version" in bad.json["errors"]


def _three_instances(tenant, org, form, flow):
    """One at the manager, one at the director, one more at the manager."""
    clerk, head = org.client("clerk"), org.client("head")
    at_manager = start(clerk, flow, add_record(clerk, form, qty=1))
    at_director = start(clerk, flow, add_record(clerk, form, qty=500))
    act(head, _ours(head, at_director["id"])[0], "approve")
    also_manager = start(clerk, flow, add_record(clerk, form, qty=2))
    return at_manager, at_director, also_manager


def test_a_preview_says_which_instances_can_move_and_why_not(tenant):
    org = Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, bpmn=two_step_bpmn(form["key"]))
    at_manager, at_director, also_manager = _three_instances(tenant, org, form, flow)
    _deploy(tenant.admin, flow, _renamed(form["key"]))
    url = f"/api/v1/flows/{flow['id']}/migrations/preview"

    plain = tenant.admin.post(url, json={"from_version": 1, "to_version": 2})
    assert plain.status_code == 200, plain.json
    rows = {i["id"]: i for i in plain.json["instances"]}
    assert set(rows) == {at_manager["id"], at_director["id"], also_manager["id"]}
    assert rows[at_manager["id"]]["can_move"] is True
    assert rows[at_manager["id"]]["waiting"] == [
        {"node_id": "manager", "name": "Manager", "type": "userTask"}
    ]
    blocked = rows[at_director["id"]]
    assert blocked["can_move"] is False and "Director" in blocked["reasons"][0]
    chinese = tenant.admin.post(
        url, json={"from_version": 1, "to_version": 2}, headers={"Accept-Language": "zh-CN"}
    )
    reason = {i["id"]: i for i in chinese.json["instances"]}[at_director["id"]]["reasons"][0]
    assert reason.startswith("停在“Director”") and "映射" in reason

    mapped = tenant.admin.post(
        url, json={"from_version": 1, "to_version": 2, "mapping": {"director": "gm"}}
    )
    rows = {i["id"]: i for i in mapped.json["instances"]}
    assert all(r["can_move"] for r in rows.values())
    assert rows[at_director["id"]]["moves"] == {"director": "gm"}
    # Nothing moved: a preview only reads.
    assert instance(tenant.admin, at_director["id"])["version"] == 1


def test_moving_instances_is_all_or_nothing_per_instance_and_recorded(tenant):
    org = Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, bpmn=two_step_bpmn(form["key"]))
    at_manager, at_director, also_manager = _three_instances(tenant, org, form, flow)
    _deploy(tenant.admin, flow, _renamed(form["key"]))
    body = {"from_version": 1, "to_version": 2, "mapping": {"director": "gm"}}
    preview = tenant.admin.post(f"/api/v1/flows/{flow['id']}/migrations/preview", json=body)
    seen = {i["id"]: i["row_version"] for i in preview.json["instances"]}
    # Someone acts on one instance after the preview: that one must stay where it is.
    head = org.client("head")
    act(head, _ours(head, also_manager["id"])[0], "transfer", user_id=org.ids["accountant"])

    expected = [{"id": k, "row_version": v} for k, v in seen.items()]
    moved = tenant.admin.post(
        f"/api/v1/flows/{flow['id']}/migrations", json={**body, "instances": expected}
    )
    assert moved.status_code == 200, moved.json
    result = {i["id"]: i for i in moved.json["instances"]}
    assert result[at_manager["id"]]["moved"] is True
    assert result[at_director["id"]] | {"title": ""} == {
        "id": at_director["id"],
        "title": "",
        "moved": True,
        "moves": {"director": "gm"},
        "reasons": [],
    }
    assert result[also_manager["id"]]["moved"] is False
    assert "since the preview" in result[also_manager["id"]]["reasons"][0]

    detail = instance(tenant.admin, at_director["id"])
    assert detail["version"] == 2
    [event] = [e for e in detail["events"] if e["action"] == "migrate"]
    assert event["details"] == {"from_version": 1, "to_version": 2, "moves": {"director": "gm"}}
    assert event["actor_id"] == tenant.admin_id
    # The director's seat followed the renamed node and still decides the flow.
    director = org.client("director")
    [seat] = _ours(director, at_director["id"])
    assert (seat["node_id"], seat["node_name"]) == ("gm", "General manager")
    act(director, seat, "approve")
    assert instance(tenant.admin, at_director["id"])["status"] == "approved"
    # The instance that changed meanwhile is still on version 1 and says so nowhere else.
    detail = instance(tenant.admin, also_manager["id"])
    assert detail["version"] == 1 and "migrate" not in [e["action"] for e in detail["events"]]
    # A moved instance waiting at the manager follows version 2 from there.
    act(head, _ours(head, at_manager["id"])[0], "approve")
    assert instance(tenant.admin, at_manager["id"])["status"] == "approved"


def test_only_an_administrator_moves_instances_and_bad_input_names_its_field(tenant):
    org = Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, bpmn=two_step_bpmn(form["key"]))
    _three_instances(tenant, org, form, flow)
    _deploy(tenant.admin, flow, _renamed(form["key"]))
    role = tenant.admin.post(
        "/api/v1/roles",
        json={"name": "designer", "code": "designer", "permissions": ["apps.design"]},
    )
    designer = tenant.user_client("designer", role_ids=[role.json["id"]])
    url = f"/api/v1/flows/{flow['id']}/migrations"
    body = {"from_version": 1, "to_version": 2}
    for path in (url, f"{url}/preview"):
        assert designer.post(path, json=body).status_code == 403
    refused = designer.post(url, json=body, headers={"Accept-Language": "zh-CN"})
    assert refused.json["message"] == "只有管理员可以把运行中的实例迁移到其他版本。"
    wrong = tenant.admin.post(url, json={**body, "mapping": {"director": "nowhere"}})
    assert wrong.status_code == 422 and "mapping.director" in wrong.json["errors"]
    same = tenant.admin.post(url, json={"from_version": 2, "to_version": 2})
    assert same.status_code == 422 and "to_version" in same.json["errors"]
    assert tenant.admin.post(url, json={"from_version": 1}).status_code == 422
    assert tenant.admin.post(url, json={**body, "to_version": 7}).status_code == 404
    # Nothing moved on any refusal.
    rows = tenant.admin.post(f"{url}/preview", json=body).json["instances"]
    assert len(rows) == 3
