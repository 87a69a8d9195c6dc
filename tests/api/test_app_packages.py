"""An app exported from one tenant and imported into another arrives whole: the same forms,
flows (deployed, starting on submit, approvable), rules, charts and dashboards; its
connectors without secrets, switched off; its records when asked for. A preview lists
exactly what the import then creates."""

from __future__ import annotations

import json

from tests.flows_fixtures import act, todo
from tests.forms_fixtures import records_url
from tests.packages_fixtures import SECRET, build_app, export


def _keys(client, path: str, name: str = "key") -> set:
    return {item[name] for item in client.get(path).json["items"]}


def test_the_file_carries_the_whole_app_and_no_secret(tenant):
    source = build_app(tenant)
    package = export(tenant, source.app_id)
    assert SECRET not in json.dumps(package)
    [robot] = package["connectors"]
    assert robot["key"] == "ops_robot" and robot["config"]["secret"] is None
    assert robot["config"]["webhook_url"].startswith("https://oapi.dingtalk.com/")
    [flow] = package["flows"]
    assert flow["form"] == "lot" and flow["on_submit"] is True
    assert flow["tree"]["child"]["assignee"] == "user:boss"  # by username, not by id
    assert [f["key"] for f in package["forms"]] == ["product", "lot"]
    assert [r["key"] for r in package["rules"]] == ["lot_levels"]
    assert {c["key"] for c in package["charts"]} == {"lot_count", "by_warehouse"}
    assert package["dashboards"][0]["viewer_roles"] == ["checker"]
    assert [r["code"] for r in package["roles"]] == ["checker"]
    assert "data" not in package


def test_import_into_another_tenant_gives_the_same_app_and_a_working_flow(make_tenant):
    source, target = make_tenant(), make_tenant()
    package = export(source, build_app(source).app_id)
    missing = target.admin.post("/api/v1/apps/import", json=package)
    assert missing.status_code == 422, missing.json
    assert missing.json["usernames"] == ["boss"] and "users" in missing.json["errors"]
    assert target.admin.get("/api/v1/apps").json["items"] == []

    target.add_user("boss")
    preview = target.admin.post("/api/v1/apps/import/preview", json=package)
    assert preview.status_code == 200 and preview.json["importable"], preview.json
    assert target.admin.get("/api/v1/apps").json["items"] == []  # a preview writes nothing
    imported = target.admin.post("/api/v1/apps/import", json=package)
    assert imported.status_code == 201, imported.json
    assert imported.json["key"] == "lots"
    assert imported.json["report"]["create"] == preview.json["create"]
    created = preview.json["create"]
    assert [(f["key"], f["fields"]) for f in created["forms"]] == [("product", 1), ("lot", 10)]
    assert [c["key"] for c in created["connectors"]] == ["ops_robot"]
    assert created["connectors"][0]["secrets"] == ["secret"]

    admin = target.admin
    assert _keys(admin, "/api/v1/forms") == {"product", "lot"}
    assert _keys(admin, "/api/v1/rules") == {"lot_levels"}
    assert _keys(admin, "/api/v1/charts") == {"lot_count", "by_warehouse"}
    [board] = admin.get("/api/v1/dashboards").json["items"]
    assert board["key"] == "lot_board" and len(board["layout"]) == 2
    [robot] = admin.get("/api/v1/connectors").json["items"]
    assert robot["key"] == "ops_robot" and robot["enabled"] is False
    assert "secret" not in robot["config"]  # nothing to mask: no secret came along
    [flow] = admin.get("/api/v1/flows").json["items"]
    assert flow["latest_version"] == 1
    assert admin.get(f"/api/v1/flows/{flow['id']}/triggers").json["on_submit"] is True

    lot = next(f for f in admin.get("/api/v1/forms").json["items"] if f["key"] == "lot")
    record = admin.post(records_url(lot), json={"batch_no": "L-1", "qty": 3})
    assert record.status_code == 201, record.json
    boss = target.client()
    assert boss.login("boss", "user-pass-123", target.slug).status_code == 200
    [task] = todo(boss)
    assert task["node_name"] == "主管审批"
    act(boss, task, "approve")
    instance = admin.get(f"/api/v1/flow-instances/{record.json['_flow_instance_id']}").json
    assert instance["status"] == "approved"


def test_sample_records_travel_with_their_references_by_name(make_tenant, monkeypatch):
    source, target = make_tenant(), make_tenant()
    app = build_app(source)
    product = source.admin.post(
        f"/api/v1/forms/{app.form_ids['product']}/records", json={"name": "酸奶"}
    ).json
    for n in range(3):
        added = source.admin.post(
            f"/api/v1/forms/{app.form_ids['lot']}/records",
            json={"batch_no": f"L-{n}", "qty": n, "product": product["id"], "owner": app.boss_id},
        )
        assert added.status_code == 201, added.json
    package = export(source, app.app_id, "?with_data=true")
    assert package["data"]["product"] == [{"name": "酸奶"}]
    assert package["data"]["lot"][0]["product"] == "酸奶"
    assert package["data"]["lot"][0]["owner"] == "boss"

    target.add_user("boss")
    preview = target.admin.post("/api/v1/apps/import/preview", json=package).json
    assert preview["create"]["data"] == [
        {"form": "product", "label": {"zh": "product"}, "rows": 1},
        {"form": "lot", "label": {"zh": "lot"}, "rows": 3},
    ]
    assert target.admin.post("/api/v1/apps/import", json=package).status_code == 201
    forms = {f["key"]: f for f in target.admin.get("/api/v1/forms").json["items"]}
    [yoghurt] = target.admin.get(records_url(forms["product"])).json["items"]
    lots = target.admin.get(records_url(forms["lot"])).json["items"]
    assert {r["batch_no"] for r in lots} == {"L-0", "L-1", "L-2"}
    assert {r["product"] for r in lots} == {yoghurt["id"]}

    monkeypatch.setattr("app.packages.sample_data.MAX_ROWS", 2)
    too_many = source.admin.get(f"/api/v1/apps/{app.app_id}/export?with_data=true")
    assert too_many.status_code == 422 and too_many.json["code"] == "package_data_too_large"
    assert "with_data" in too_many.json["errors"]
