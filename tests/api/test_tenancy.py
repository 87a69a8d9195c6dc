"""A tenant never sees another tenant's objects: every id route answers 404."""

from __future__ import annotations

import io
import re

import pytest

from tests.flows_services_fixtures import action, add, flow_with, later, request_form, stock_form
from tests.forms_fixtures import PNG, make_form, records_url
from tests.rules_fixtures import add_batch, setup_rule

ID_ROUTE = re.compile(r"\{(\w+)\}")


# A valid body for the routes that need one, so the answer depends on the id alone.
BODIES = {
    "/complete": {"result": "done"},
    "/forms": {"key": "stolen", "label": {"zh": "x"}},
    "/records/bulk": {"records": [{"batch_no": "stolen"}]},
    "/deliveries": {"action": "post_event", "inputs": {}, "idempotency_key": "stolen"},
    "/flows/{flow_id}/versions": {"bpmn": "<x/>"},
    "/compile": {"tree": {}},
    "/flows/{flow_id}/instances": {"record_id": 1},
    "/transfer": {"user_id": 1},
    "/delegate": {"user_id": 1},
    "/add-signer": {"user_id": 1},
    "/cc": {"user_ids": [1]},
    "/triggers": {"on_submit": True},
    "/migrations/preview": {"from_version": 1, "to_version": 1},
    "/migrations": {"from_version": 1, "to_version": 1},
    "/inbound-hooks": {
        "key": "stolen",
        "label": {"zh": "x"},
        "action": "upsert_record",
        "form_id": 1,
        "mapping": {"batch_no": "$.no"},
    },
}
BODIES["/drill"] = {"point": {"batch_no": "A-1"}}
# A valid query string for the routes that need one.
QUERIES = {"/versions/diff": "?from_version=1&to_version=1"}
# Signed public endpoints answer by their signature, not by the caller's tenant (their
# checks are in test_connector_inbound.py); the template gallery is the installation's,
# named by folder, not a tenant's object (test_app_packages_templates.py).
PUBLIC = ("/api/v1/inbound/", "/api/v1/templates/{name}/")


def _tenant_a_objects(tenant) -> dict[str, int]:
    """One object of every kind an id route can name, all in tenant A."""
    admin = tenant.admin
    department = admin.post("/api/v1/departments", json={"name": "A dept"}).json
    role = admin.post("/api/v1/roles", json={"name": "A role", "code": "a_role"}).json
    user = tenant.add_user("a-user", department_id=department["id"])
    token = admin.post("/api/v1/tokens", json={"name": "A token"}).json
    check = admin.post("/api/v1/system/worker-checks").json
    form = make_form(tenant)
    record = admin.post(records_url(form), json={"batch_no": "A-1", "qty": 1}).json
    upload = admin.post(
        f"/api/v1/forms/{form['id']}/imports",
        data={"file": (io.BytesIO("批次号,数量\nA-2,3\n".encode()), "batches.csv")},
        content_type="multipart/form-data",
    ).json
    photo = admin.post(
        "/api/v1/attachments",
        data={
            "file": (io.BytesIO(PNG), "p.png", "image/png"),
            "form_id": form["id"],
            "field": "photos",
        },
        content_type="multipart/form-data",
    ).json
    actions = {
        "yellow": [
            {"type": "todo", "assignee": {"user": tenant.admin_id}},
            {"type": "notify", "recipients": {"user": tenant.admin_id}},
        ]
    }
    batches, rule = setup_rule(tenant, {"actions": actions})
    add_batch(tenant, batches, "A-YELLOW", 45)
    alert = admin.get("/api/v1/alerts").json["items"][0]
    todo = admin.get("/api/v1/todos").json["items"][0]
    note = admin.get("/api/v1/notifications").json["items"][0]
    hook = admin.post(
        "/api/v1/connectors",
        json={
            "key": "hook",
            "type": "webhook",
            "label": {"zh": "hook"},
            "config": {"url": "https://hooks.example.com/in", "secret": "whsec-0123456789abcdef"},
        },
    ).json
    delivery = admin.post(
        f"/api/v1/connectors/{hook['id']}/deliveries",
        json={
            "action": "post_event",
            "inputs": {"event": "e", "data": {}},
            "idempotency_key": "a-1",
        },
    ).json
    flow = admin.post(
        "/api/v1/flows", json={"key": "a_flow", "name": "A flow", "form_id": form["id"]}
    ).json
    tree = {"type": "initiator", "child": {"type": "approver", "assignee": "initiator"}}
    admin.post(f"/api/v1/flows/{flow['id']}/versions", json={"tree": tree})
    flow_instance = admin.post(
        f"/api/v1/flows/{flow['id']}/instances", json={"record_id": record["id"]}
    ).json
    flow_task = admin.get("/api/v1/flow-tasks").json["items"][0]
    delegation = admin.post(
        "/api/v1/flow-delegations",
        json={"delegate_id": user["id"], "starts_on": "2030-01-01", "ends_on": "2030-01-02"},
    ).json
    inbound_hook = admin.post(
        f"/api/v1/apps/{form['app_id']}/inbound-hooks",
        json={
            "key": "a_hook",
            "label": {"zh": "A hook"},
            "action": "upsert_record",
            "form_id": form["id"],
            "mapping": {"batch_no": "$.no"},
            "key_fields": ["batch_no"],
        },
    ).json
    erp = admin.post(
        "/api/v1/connectors",
        json={
            "key": "erp",
            "type": "kingdee",
            "label": {"zh": "ERP"},
            "config": {
                "base_url": "https://erp.example.com/k3cloud",
                "acct_id": "1",
                "username": "api",
                "password": "secret",
            },
        },
    ).json
    sync = admin.post(
        "/api/v1/connector-syncs",
        json={
            "key": "a_sync",
            "label": {"zh": "A sync"},
            "connector_id": erp["id"],
            "action": "query_lots",
            "form_id": form["id"],
            "mapping": {"batch_no": "FLot.FNumber"},
            "key_fields": ["batch_no"],
            "schedule": "0 2 * * *",
        },
    ).json
    incident = _incident(tenant)
    chart = admin.post(
        "/api/v1/charts",
        json={
            "label": {"zh": "A chart"},
            "form_id": form["id"],
            "definition": {
                "type": "bar",
                "dimensions": [{"field": "batch_no"}],
                "measures": [{"key": "n", "agg": "count"}],
            },
        },
    ).json
    board = {"label": {"zh": "A board"}, "app_id": form["app_id"]}
    board["layout"] = [{"chart_id": chart["id"], "x": 0, "y": 0, "w": 6, "h": 4}]
    dashboard = admin.post("/api/v1/dashboards", json=board).json
    install = admin.post("/api/v1/templates/expiry_disposal/install", json={"demo": False}).json
    entry = admin.get("/api/v1/audit").json["items"][0]
    return {
        "incident_id": incident["id"],
        "hook_id": inbound_hook["id"],
        "sync_id": sync["id"],
        "app_id": form["app_id"],
        "form_id": form["id"],
        "record_id": record["id"],
        "import_id": upload["id"],
        "attachment_id": photo["id"],
        "rule_id": rule["id"],
        "connector_id": hook["id"],
        "delivery_id": delivery["id"],
        "flow_id": flow["id"],
        "version": 1,
        "instance_id": flow_instance["id"],
        "task_id": flow_task["id"],
        "delegation_id": delegation["id"],
        "alert_id": alert["id"],
        "todo_id": todo["id"],
        "notification_id": note["id"],
        "old": 1,
        "new": 1,
        "department_id": department["id"],
        "role_id": role["id"],
        "user_id": user["id"],
        "token_id": token["id"],
        "check_id": check["id"],
        "entry_id": entry["id"],
        "chart_id": chart["id"],
        "dashboard_id": dashboard["id"],
        "job_id": install["id"],
    }


def _incident(tenant) -> dict:
    """A flow whose stock allocation cannot be met, retried until it raises an incident."""
    requests, stock = request_form(tenant), stock_form(tenant)
    allocate = action(
        "stock.allocate",
        {"form": stock["key"], "field": "qty", "quantity": {"var": "qty"}, "order_by": "expiry"},
    )
    flow = flow_with(tenant, requests, allocate)
    request = add(tenant.admin, requests, sku="X", qty=5)
    started = tenant.admin.post(
        f"/api/v1/flows/{flow['id']}/instances", json={"record_id": request["id"]}
    )
    assert started.status_code == 201, started.json
    later(tenant, 10)
    later(tenant, 30)
    [incident] = tenant.admin.get("/api/v1/flow-incidents").json["items"]
    return incident


def _id_routes(client) -> list[tuple[str, str]]:
    spec = client.get("/api/openapi.json").json
    return [
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        if ID_ROUTE.search(path)
        for method in operations
        if method in {"get", "patch", "delete", "put", "post"}
    ]


def test_every_id_route_hides_other_tenants_objects(make_tenant):
    tenant_a, tenant_b = make_tenant(), make_tenant()
    ids = _tenant_a_objects(tenant_a)
    routes = _id_routes(tenant_b.admin)
    assert len(routes) >= 30, routes

    for method, path in routes:
        if path.startswith(PUBLIC):
            continue
        names = ID_ROUTE.findall(path)
        missing = [n for n in names if n not in ids]
        assert not missing, f"{method} {path}: add an object for {missing} to this test"
        url = ID_ROUTE.sub(lambda m: str(ids[m.group(1)]), path)
        url += next((q for suffix, q in QUERIES.items() if path.endswith(suffix)), "")
        body = next((b for suffix, b in BODIES.items() if path.endswith(suffix)), {})
        if method == "PATCH" and "/records/" in path:
            body = {"row_version": 1, "values": {}}
        kwargs = {"json": body} if method in {"PATCH", "PUT", "POST"} else {}
        response = tenant_b.admin.request(method, url, **kwargs)
        assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
        assert response.json["code"] == "not_found"

    # ...and tenant A's objects are all still there, unchanged.
    a = tenant_a.admin
    assert a.get(f"/api/v1/users/{ids['user_id']}").status_code == 200
    assert a.get(f"/api/v1/departments/{ids['department_id']}").json["name"] == "A dept"
    assert a.get(f"/api/v1/roles/{ids['role_id']}").status_code == 200
    assert a.get("/api/v1/tokens").json["items"][0]["revoked_at"] is None
    form_records = a.get(f"/api/v1/forms/{ids['form_id']}/records").json
    assert [r["batch_no"] for r in form_records["items"]] == ["A-1", "A-2"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/users", "/api/v1/departments", "/api/v1/roles", "/api/v1/audit", "/api/v1/tokens"],
)
def test_lists_hold_only_the_callers_tenant(make_tenant, path):
    tenant_a, tenant_b = make_tenant(), make_tenant()
    _tenant_a_objects(tenant_a)
    items = tenant_b.admin.get(path).json["items"]
    names = {str(item.get("name") or item.get("username") or "") for item in items}
    assert not any(name.startswith(("A ", "a-")) for name in names)
    if path == "/api/v1/audit":
        assert all(item["actor_id"] in (None, tenant_b.admin_id) for item in items)


def test_cross_tenant_references_are_refused(make_tenant):
    tenant_a, tenant_b = make_tenant(), make_tenant()
    ids = _tenant_a_objects(tenant_a)
    b = tenant_b.admin
    parent = b.post("/api/v1/departments", json={"name": "B", "parent_id": ids["department_id"]})
    assert parent.status_code == 422 and "parent_id" in parent.json["errors"]
    head = b.post("/api/v1/departments", json={"name": "B", "head_user_id": ids["user_id"]})
    assert head.status_code == 422 and "head_user_id" in head.json["errors"]
    user = b.post(
        "/api/v1/users",
        json={
            "username": "bee",
            "display_name": "b",
            "password": "b-pass-1234",
            "role_ids": [ids["role_id"]],
        },
    )
    assert user.status_code == 422 and "role_ids" in user.json["errors"]
