"""Optimistic locking under concurrency, soft delete with undo, and data scopes on every verb."""

from __future__ import annotations

import pytest

from tests.concurrency_fixtures import race
from tests.forms_fixtures import make_form, records_url


def test_concurrent_patches_with_the_same_version_one_wins(tenant):
    form = make_form(tenant)
    url = records_url(form)
    record = tenant.admin.post(url, json={"batch_no": "B1", "qty": 10}).json
    second = tenant.client()
    second.login("admin", "admin-pass-123", tenant.slug)
    item = f"{url}/{record['id']}"
    responses = race(
        [
            lambda: tenant.admin.patch(item, json={"row_version": 1, "values": {"qty": 11}}),
            lambda: second.patch(item, json={"row_version": 1, "values": {"qty": 12}}),
        ]
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409], [r.json for r in responses]
    winner = next(r for r in responses if r.status_code == 200).json
    loser = next(r for r in responses if r.status_code == 409).json
    assert loser["current"]["qty"] == winner["qty"] and loser["current"]["_row_version"] == 2
    assert tenant.admin.get(item).json["qty"] == winner["qty"]


def test_concurrent_creates_get_distinct_autonumbers(tenant):
    form = make_form(tenant)
    url = records_url(form)
    clients = []
    for _ in range(4):
        client = tenant.client()
        client.login("admin", "admin-pass-123", tenant.slug)
        clients.append(client)
    responses = race(
        [(lambda c=c, i=i: c.post(url, json={"batch_no": f"P{i}"})) for i, c in enumerate(clients)]
    )
    assert all(r.status_code == 201 for r in responses), [r.json for r in responses]
    lots = {r.json["lot"] for r in responses}
    assert len(lots) == 4


def test_delete_moves_to_the_bin_and_restore_undoes_it(tenant):
    form = make_form(tenant)
    url = records_url(form)
    record = tenant.admin.post(url, json={"batch_no": "B1"}).json
    assert tenant.admin.delete(f"{url}/{record['id']}").status_code == 200
    assert tenant.admin.get(url).json["total"] == 0
    assert tenant.admin.get(f"{url}/{record['id']}").status_code == 404
    assert tenant.admin.get(f"{url}?deleted=true").json["total"] == 1
    restored = tenant.admin.post(f"{url}/{record['id']}/restore")
    assert restored.status_code == 200 and restored.json["_deleted_at"] is None
    assert tenant.admin.get(url).json["items"][0]["batch_no"] == "B1"


def _role(tenant, code, scope, condition=None):
    body = {
        "name": code,
        "code": code,
        "permissions": ["records.read", "records.write"],
        "data_scope": scope,
    }
    if condition:
        body["data_scope_condition"] = condition
    return tenant.admin.post("/api/v1/roles", json=body).json["id"]


@pytest.fixture
def org(tenant):
    """Two warehouses; a clerk in each; records created by each clerk."""
    admin = tenant.admin
    hq = admin.post("/api/v1/departments", json={"name": "HQ"}).json["id"]
    east = admin.post("/api/v1/departments", json={"name": "East", "parent_id": hq}).json["id"]
    south = admin.post("/api/v1/departments", json={"name": "South", "parent_id": hq}).json["id"]
    form = make_form(tenant)
    own = _role(tenant, "own_clerk", "own")
    dept = _role(tenant, "dept_clerk", "department")
    clerks = {
        "east": tenant.user_client("east-clerk", department_id=east, role_ids=[own]),
        "south": tenant.user_client("south-clerk", department_id=south, role_ids=[own]),
        "hq": tenant.user_client("hq-lead", department_id=hq, role_ids=[dept]),
        "east_lead": tenant.user_client("east-lead", department_id=east, role_ids=[dept]),
    }
    url = records_url(form)
    ids = {
        name: clerks[name].post(url, json={"batch_no": f"{name}-1", "warehouse": "east"}).json["id"]
        for name in ("east", "south")
    }
    return {"form": form, "url": url, "clerks": clerks, "ids": ids, "tenant": tenant}


def test_own_scope_sees_and_touches_only_own_records(org):
    east, url, ids = org["clerks"]["east"], org["url"], org["ids"]
    assert [r["batch_no"] for r in east.get(url).json["items"]] == ["east-1"]
    other = f"{url}/{ids['south']}"
    assert east.get(other).status_code == 404
    assert east.patch(other, json={"row_version": 1, "values": {"qty": 1}}).status_code == 404
    assert east.delete(other).status_code == 404
    assert east.post(f"{other}/restore").status_code == 404
    assert org["clerks"]["south"].get(other).json["_row_version"] == 1


def test_department_scope_includes_departments_below(org):
    hq, east_lead, url = org["clerks"]["hq"], org["clerks"]["east_lead"], org["url"]
    assert {r["batch_no"] for r in hq.get(url).json["items"]} == {"east-1", "south-1"}
    assert {r["batch_no"] for r in east_lead.get(url).json["items"]} == {"east-1"}
    assert east_lead.get(f"{url}/{org['ids']['south']}").status_code == 404


def test_custom_scope_condition(org):
    tenant, url = org["tenant"], org["url"]
    org["clerks"]["south"].post(url, json={"batch_no": "south-2", "warehouse": "south"})
    role = _role(tenant, "south_viewer", "custom", {"==": [{"var": "warehouse"}, "south"]})
    viewer = tenant.user_client("viewer", role_ids=[role])
    assert [r["batch_no"] for r in viewer.get(url).json["items"]] == ["south-2"]


def test_records_without_permission_are_403(tenant):
    form = make_form(tenant)
    nobody = tenant.user_client("nobody")
    assert nobody.get(records_url(form)).status_code == 403
    assert nobody.post(records_url(form), json={"batch_no": "x"}).status_code == 403


def test_record_writes_are_audited(tenant):
    form = make_form(tenant)
    url = records_url(form)
    record = tenant.admin.post(url, json={"batch_no": "B1", "qty": 1}).json
    tenant.admin.patch(f"{url}/{record['id']}", json={"row_version": 1, "values": {"qty": 5}})
    entries = tenant.admin.get(
        f"/api/v1/audit?object_type=record:{form['key']}&object_id={record['id']}"
    ).json["items"]
    assert [e["action"] for e in entries] == ["update", "create"]
    assert entries[0]["diff"] == {"qty": [1, 5]}
