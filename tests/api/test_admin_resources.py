"""Administrators manage users, departments and roles; others may only read."""

from __future__ import annotations


def test_department_tree_with_head_and_moves(tenant):
    admin = tenant.admin
    hq = admin.post("/api/v1/departments", json={"name": "总部"}).json
    east = admin.post("/api/v1/departments", json={"name": "华东", "parent_id": hq["id"]}).json
    shop = admin.post("/api/v1/departments", json={"name": "门店", "parent_id": east["id"]}).json
    head = tenant.add_user("east-head", department_id=east["id"])
    moved = admin.patch(f"/api/v1/departments/{east['id']}", json={"head_user_id": head["id"]})
    assert moved.json["head_user_id"] == head["id"]

    cycle = admin.patch(f"/api/v1/departments/{hq['id']}", json={"parent_id": shop["id"]})
    assert cycle.status_code == 422 and "parent_id" in cycle.json["errors"]
    itself = admin.patch(f"/api/v1/departments/{hq['id']}", json={"parent_id": hq["id"]})
    assert itself.status_code == 422

    parents = {d["name"]: d["parent_id"] for d in admin.get("/api/v1/departments").json["items"]}
    assert parents == {"总部": None, "华东": hq["id"], "门店": east["id"]}


def test_department_with_children_or_users_cannot_be_deleted(tenant):
    admin = tenant.admin
    hq = admin.post("/api/v1/departments", json={"name": "HQ"}).json
    child = admin.post("/api/v1/departments", json={"name": "C", "parent_id": hq["id"]}).json
    user = tenant.add_user("member", department_id=child["id"])

    refused = admin.delete(f"/api/v1/departments/{hq['id']}")
    assert refused.status_code == 409 and "sub-departments" in refused.json["message"]
    refused = admin.delete(f"/api/v1/departments/{child['id']}")
    assert refused.status_code == 409 and "users" in refused.json["message"]

    admin.patch(f"/api/v1/users/{user['id']}", json={"department_id": None})
    assert admin.delete(f"/api/v1/departments/{child['id']}").status_code == 204
    assert admin.delete(f"/api/v1/departments/{hq['id']}").status_code == 204
    assert admin.get("/api/v1/departments").json["items"] == []


def test_user_lifecycle_and_search(tenant):
    admin = tenant.admin
    role = admin.post(
        "/api/v1/roles", json={"name": "仓管", "code": "clerk", "permissions": ["records.read"]}
    ).json
    created = tenant.add_user("wang.clerk", display_name="王仓管", role_ids=[role["id"]])
    assert created["role_ids"] == [role["id"]] and "password" not in created
    assert admin.get("/api/v1/users?q=王").json["items"][0]["username"] == "wang.clerk"
    duplicate = admin.post(
        "/api/v1/users",
        json={"username": "wang.clerk", "display_name": "x", "password": "long-enough-1"},
    )
    assert duplicate.status_code == 409 and "username" in duplicate.json["errors"]

    assert admin.delete(f"/api/v1/users/{created['id']}").status_code == 204
    assert admin.get(f"/api/v1/users/{created['id']}").status_code == 404
    assert admin.get("/api/v1/users?q=wang").json["total"] == 0


def test_pagination_counts_every_user(tenant):
    for i in range(5):
        tenant.add_user(f"user-{i}")
    page = tenant.admin.get("/api/v1/users?page=2&page_size=2").json
    assert page["total"] == 6 and page["page"] == 2
    assert [u["username"] for u in page["items"]] == ["user-1", "user-2"]


def test_administrator_cannot_lock_themselves_out(tenant):
    me = tenant.admin_id
    assert tenant.admin.delete(f"/api/v1/users/{me}").status_code == 409
    assert tenant.admin.patch(f"/api/v1/users/{me}", json={"is_active": False}).status_code == 422
    assert tenant.admin.get("/api/v1/me").status_code == 200


def test_roles_grant_permissions_and_data_scopes(tenant):
    admin = tenant.admin
    codes = {p["code"] for p in admin.get("/api/v1/permissions").json["items"]}
    assert {"admin.users", "audit.read"} <= codes
    role = admin.post(
        "/api/v1/roles",
        json={
            "name": "HR",
            "code": "hr",
            "permissions": ["admin.users"],
            "data_scope": "custom",
            "data_scope_condition": {"==": [{"var": "warehouse"}, "华东仓"]},
        },
    )
    assert role.status_code == 201
    assert role.json["data_scope_condition"] == {"==": [{"var": "warehouse"}, "华东仓"]}
    hr = tenant.user_client("hr-person", role_ids=[role.json["id"]])
    assert hr.get("/api/v1/me").json["permissions"] == ["admin.users"]
    assert (
        hr.post(
            "/api/v1/users",
            json={"username": "new-hire", "display_name": "N", "password": "long-enough-1"},
        ).status_code
        == 201
    )
    # ...but HR cannot change roles.
    assert hr.patch(f"/api/v1/roles/{role.json['id']}", json={"name": "x"}).status_code == 403
    duplicate = admin.post("/api/v1/roles", json={"name": "HR2", "code": "hr"})
    assert duplicate.status_code == 409


def test_without_permission_writes_are_403_and_nothing_changes(tenant):
    clerk = tenant.user_client("clerk")
    assert clerk.get("/api/v1/users").status_code == 200
    for method, url, body in [
        ("POST", "/api/v1/users", {"username": "x1", "display_name": "x", "password": "p-1234567"}),
        ("POST", "/api/v1/departments", {"name": "x"}),
        ("POST", "/api/v1/roles", {"name": "x", "code": "x_role"}),
        ("PATCH", f"/api/v1/users/{tenant.admin_id}", {"display_name": "hacked"}),
        ("POST", "/api/v1/system/worker-checks", None),
    ]:
        response = clerk.request(method, url, json=body)
        assert response.status_code == 403, (url, response.json)
        assert response.json["code"] == "forbidden"
    assert tenant.admin.get(f"/api/v1/users/{tenant.admin_id}").json["display_name"] == (
        "Administrator"
    )
    assert tenant.admin.get("/api/v1/departments").json["items"] == []


def test_openapi_document_and_docs_page(tenant):
    spec = tenant.client().get("/api/openapi.json")
    assert spec.status_code == 200
    paths = spec.json["paths"]
    assert {"/api/v1/users", "/api/v1/health", "/api/v1/auth/login"} <= set(paths)
    assert "bearer" in spec.json["components"]["securitySchemes"]
    docs = tenant.client().get("/api/docs")
    assert docs.status_code == 200 and b"swagger" in docs.data.lower()
    asset = tenant.client().get("/api/docs-assets/swagger-ui-bundle.js")
    assert asset.status_code == 200


def test_health_reports_each_part(tenant):
    health = tenant.client().get("/api/v1/health").json
    assert health["database"]["ok"] is True
    assert health["broker"]["ok"] is True
    assert health["broker"]["kind"] in {"embedded", "redis"}
    assert set(health["worker"]) == {"ok", "last_heartbeat_at", "age_seconds"}
