"""An app with every part a package carries, built through the API as a designer does:
two forms (a batch points at a product), a flow that starts on submit and names its
approver by user id, a rule that alerts a robot connector with a secret, two charts and a
dashboard shared with a role."""

from __future__ import annotations

from dataclasses import dataclass

from tests.rules_fixtures import BATCH, rule_definition

SECRET = "SECtop-secret-robot-signature"
PRODUCT = [{"key": "name", "type": "text", "label": "品名", "required": True, "unique": True}]
LOT = [
    *BATCH,
    {
        "key": "product",
        "type": "relation",
        "label": "商品",
        "relation": {"form": "product", "display": "name"},
    },
]
COUNT = {"key": "n", "agg": "count"}


@dataclass
class SourceApp:
    app_id: int
    form_ids: dict[str, int]
    flow_id: int
    boss_id: int


def _created(response) -> dict:
    assert response.status_code in (200, 201), response.json
    return response.json


def build_app(tenant) -> SourceApp:
    admin = tenant.admin
    app = _created(
        admin.post("/api/v1/apps", json={"key": "lots", "label": {"zh": "批次管理", "en": "Lots"}})
    )
    role = _created(
        admin.post(
            "/api/v1/roles",
            json={
                "name": "质检",
                "code": "checker",
                "permissions": ["records.read", "records.write", "dashboards.view"],
            },
        )
    )
    boss = tenant.add_user("boss", role_ids=[role["id"]])
    form_ids = {}
    for key, fields in (("product", PRODUCT), ("lot", LOT)):
        form = _created(
            admin.post(
                f"/api/v1/apps/{app['id']}/forms",
                json={"key": key, "label": {"zh": key}, "draft": {"fields": fields}},
            )
        )
        _created(admin.post(f"/api/v1/forms/{form['id']}/publish"))
        form_ids[key] = form["id"]
    _created(
        admin.post(
            "/api/v1/connectors",
            json={
                "key": "ops_robot",
                "type": "dingtalk_robot",
                "label": {"zh": "运营群"},
                "config": {
                    "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=T",
                    "secret": SECRET,
                },
            },
        )
    )
    flow = _created(
        admin.post(
            "/api/v1/flows",
            json={"key": "lot_check", "name": "批次审批", "form_id": form_ids["lot"]},
        )
    )
    tree = {
        "type": "initiator",
        "child": {
            "type": "approver",
            "name": "主管审批",
            "assignee": f"user:{boss['id']}",
            "child": {"type": "cc", "name": "抄送质检", "assignee": "role:checker"},
        },
    }
    _created(admin.post(f"/api/v1/flows/{flow['id']}/versions", json={"tree": tree}))
    _created(admin.request("PUT", f"/api/v1/flows/{flow['id']}/triggers", json={"on_submit": True}))
    actions = {
        "red": [
            {"type": "notify", "connector": "ops_robot", "title": "红牌 {{title}}"},
            {"type": "todo", "assignee": {"role": "checker"}, "title": "处理 {{title}}"},
        ]
    }
    rule = _created(
        admin.post(
            "/api/v1/rules",
            json={
                "key": "lot_levels",
                "label": {"zh": "临期预警"},
                "draft": rule_definition("lot", actions=actions),
                "app_id": app["id"],
            },
        )
    )
    _created(admin.post(f"/api/v1/rules/{rule['id']}/publish"))
    charts = [
        _created(
            admin.post(
                "/api/v1/charts",
                json={
                    "key": key,
                    "label": {"zh": key},
                    "form_id": form_ids["lot"],
                    "definition": definition,
                },
            )
        )
        for key, definition in (
            ("lot_count", {"type": "kpi", "measures": [COUNT]}),
            (
                "by_warehouse",
                {"type": "bar", "dimensions": [{"field": "warehouse"}], "measures": [COUNT]},
            ),
        )
    ]
    _created(
        admin.post(
            "/api/v1/dashboards",
            json={
                "key": "lot_board",
                "label": {"zh": "批次驾驶舱"},
                "app_id": app["id"],
                "layout": [
                    {"chart_id": c["id"], "x": 6 * i, "y": 0, "w": 6, "h": 4}
                    for i, c in enumerate(charts)
                ],
                "viewer_role_ids": [role["id"]],
            },
        )
    )
    return SourceApp(app["id"], form_ids, flow["id"], boss["id"])


def export(tenant, app_id: int, query: str = "") -> dict:
    response = tenant.admin.get(f"/api/v1/apps/{app_id}/export{query}")
    assert response.status_code == 200, response.json
    return response.json
