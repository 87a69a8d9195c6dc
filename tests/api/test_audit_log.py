"""Every write through the API leaves an audit entry with a before/after diff."""

from __future__ import annotations

import pytest
from sqlalchemy import text


def _entries(tenant, **filters):
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return tenant.admin.get(f"/api/v1/audit?page_size=100&{query}").json["items"]


def test_create_update_delete_of_a_department_are_audited(tenant):
    admin = tenant.admin
    dept = admin.post("/api/v1/departments", json={"name": "华东仓"}).json
    admin.patch(f"/api/v1/departments/{dept['id']}", json={"name": "华东一仓"})
    admin.delete(f"/api/v1/departments/{dept['id']}")
    entries = _entries(tenant, object_type="departments", object_id=dept["id"])
    assert [e["action"] for e in entries] == ["delete", "update", "create"]
    delete, update, create = entries
    assert create["diff"]["name"] == [None, "华东仓"]
    assert update["diff"] == {"name": ["华东仓", "华东一仓"]}
    assert delete["diff"]["name"] == ["华东一仓", None]
    assert {e["actor_id"] for e in entries} == {tenant.admin_id}
    assert all(e["actor_name"] == "Administrator" for e in entries)


def test_user_changes_are_audited_without_secrets(tenant):
    role = tenant.admin.post("/api/v1/roles", json={"name": "Clerk", "code": "clerk"}).json
    user = tenant.add_user("clerk", role_ids=[role["id"]])
    tenant.admin.patch(f"/api/v1/users/{user['id']}", json={"password": "changed-pass-1"})
    tenant.admin.patch(f"/api/v1/users/{user['id']}", json={"role_ids": []})
    tenant.admin.delete(f"/api/v1/users/{user['id']}")
    entries = _entries(tenant, object_type="users", object_id=user["id"])
    actions = [e["action"] for e in entries]
    assert actions[0] == "delete" and actions[-1] == "create"
    create = entries[-1]
    assert create["diff"]["username"] == [None, "clerk"]
    assert create["diff"]["role_ids"] == [[], [role["id"]]]
    assert any(e["diff"].get("role_ids") == [[role["id"]], []] for e in entries)
    assert not any("password_hash" in e["diff"] for e in entries)


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v1/roles", {"name": "R", "code": "r_one"}),
        ("/api/v1/tokens", {"name": "T"}),
        ("/api/v1/departments", {"name": "D"}),
    ],
)
def test_every_create_is_audited(tenant, path, body):
    created = tenant.admin.post(path, json=body)
    assert created.status_code == 201
    entry = _entries(tenant)[0]
    assert entry["action"] == "create"
    assert entry["object_id"] == str(created.json["id"])


def test_audit_log_needs_the_permission(tenant):
    clerk = tenant.user_client("clerk")
    response = clerk.get("/api/v1/audit")
    assert response.status_code == 403
    assert "audit.read" in response.json["message"]


def test_audit_log_is_append_only_in_the_database(tenant, app_db):
    tenant.admin.post("/api/v1/departments", json={"name": "D"})
    with app_db() as session:
        with pytest.raises(Exception, match="append-only"):
            session.execute(text("UPDATE audit_log SET action = 'forged'"))
        session.rollback()
        with pytest.raises(Exception, match="append-only"):
            session.execute(text("DELETE FROM audit_log"))
        session.rollback()
    assert _entries(tenant)[0]["action"] == "create"
