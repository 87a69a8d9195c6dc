"""A disposal form, approvers with roles and departments, and flows built through the API."""

from __future__ import annotations

import itertools

from tests.forms_fixtures import make_form, records_url

_keys = itertools.count()

DISPOSAL_FIELDS = [
    {"key": "batch_no", "type": "text", "label": "批次号", "required": True},
    {
        "key": "category",
        "type": "select",
        "label": "品类",
        "options": [{"value": "A"}, {"value": "B"}, {"value": "C"}],
    },
    {
        "key": "level",
        "type": "select",
        "label": "预警等级",
        "options": [{"value": "yellow"}, {"value": "red"}],
    },
    {"key": "qty", "type": "integer", "label": "数量"},
    {"key": "note", "type": "text", "label": "备注"},
    {"key": "owner", "type": "user", "label": "负责人"},
]

# "Category A red-level disposal goes to the East-China sales director; category B goes to
# the marketing employee-purchase flow."
DISPOSAL_TREE = {
    "type": "initiator",
    "child": {
        "type": "approver",
        "id": "manager",
        "name": "仓库主管",
        "assignee": "dept_head",
        "child": {
            "type": "branch",
            "name": "按品类分流",
            "branches": [
                {
                    "name": "A类红牌",
                    "condition": {
                        "and": [
                            {"==": [{"var": "category"}, "A"]},
                            {"==": [{"var": "level"}, "red"]},
                        ]
                    },
                    "child": {
                        "type": "approver",
                        "id": "east_director",
                        "name": "华东销售总监",
                        "assignee": "role:east_sales_director",
                    },
                },
                {
                    "name": "B类",
                    "condition": {"==": [{"var": "category"}, "B"]},
                    "child": {
                        "type": "approver",
                        "id": "employee_purchase",
                        "name": "市场部员工内购",
                        "assignee": "role:marketing",
                        "child": {
                            "type": "action",
                            "action": "notify",
                            "assignee": "initiator",
                            "message": "已转入员工内购",
                        },
                    },
                },
            ],
            "child": {"type": "cc", "name": "抄送财务", "assignee": "role:finance"},
        },
    },
}


class Org:
    """A department with a head, and people in the roles the disposal tree names."""

    def __init__(self, tenant) -> None:
        admin = tenant.admin
        self.tenant = tenant
        self.roles = {}
        for code in ("east_sales_director", "marketing", "finance", "clerk"):
            permissions = ["records.read", "records.write"] if code == "clerk" else []
            role = admin.post(
                "/api/v1/roles", json={"name": code, "code": code, "permissions": permissions}
            )
            assert role.status_code == 201, role.json
            self.roles[code] = role.json["id"]
        self.head = tenant.add_user("head")
        dept = admin.post(
            "/api/v1/departments", json={"name": "华东仓", "head_user_id": self.head["id"]}
        )
        self.department_id = dept.json["id"]
        self.clients = {}
        self.ids = {"head": self.head["id"]}
        people = {
            "clerk": ["clerk"],
            "director": ["east_sales_director"],
            "marketer": ["marketing"],
            "marketer2": ["marketing"],
            "accountant": ["finance"],
        }
        for username, codes in people.items():
            user = tenant.add_user(
                username,
                department_id=self.department_id,
                role_ids=[self.roles[c] for c in codes],
            )
            self.ids[username] = user["id"]

    def client(self, username: str):
        if username not in self.clients:
            client = self.tenant.client()
            assert client.login(username, "user-pass-123", self.tenant.slug).status_code == 200
            self.clients[username] = client
        return self.clients[username]


def disposal_form(tenant) -> dict:
    return make_form(tenant, fields=DISPOSAL_FIELDS, key=f"disposal{next(_keys)}")


def make_flow(tenant, form: dict, tree: dict | None = None, bpmn: str | None = None) -> dict:
    admin = tenant.admin
    flow = admin.post(
        "/api/v1/flows",
        json={"key": f"flow{next(_keys)}", "name": "临期处置审批", "form_id": form["id"]},
    )
    assert flow.status_code == 201, flow.json
    if tree is not None or bpmn is not None:
        body = {"tree": tree} if tree is not None else {"bpmn": bpmn}
        version = admin.post(f"/api/v1/flows/{flow.json['id']}/versions", json=body)
        assert version.status_code == 201, version.json
    return flow.json


def add_record(client, form: dict, **values) -> dict:
    body = {"batch_no": f"B-{next(_keys)}", "qty": 10, **values}
    response = client.post(records_url(form), json=body)
    assert response.status_code == 201, response.json
    return response.json


def start(client, flow: dict, record: dict, status: int = 201):
    response = client.post(
        f"/api/v1/flows/{flow['id']}/instances", json={"record_id": record["id"]}
    )
    assert response.status_code == status, response.json
    return response.json


def todo(client) -> list[dict]:
    return client.get("/api/v1/flow-tasks?box=todo").json["items"]


def act(client, task: dict, action: str, status: int = 200, **body):
    response = client.post(f"/api/v1/flow-tasks/{task['id']}/{action}", json=body)
    assert response.status_code == status, response.json
    return response.json


def instance(client, instance_id: int) -> dict:
    response = client.get(f"/api/v1/flow-instances/{instance_id}")
    assert response.status_code == 200, response.json
    return response.json


def two_step_bpmn(form_key: str, condition: str | None = None, **extra) -> str:
    """Hand-written BPMN: a manager approves; big quantities then go to the director.

    ``condition`` replaces the gateway's condition text; ``extra`` adds attributes to the
    manager's user task (e.g. to break it).
    """
    condition = condition or '{">": [{"var": "qty"}, 100]}'
    attributes = {
        "gs:form": form_key,
        "gs:assignee": "dept_head",
        **extra,
    }
    manager = " ".join(f'{k}="{v}"' for k, v in attributes.items() if v is not None)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:gs="urn:greenshelf:bpmn:1" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="two_step" name="Two steps" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="manager"/>
    <bpmn:userTask id="manager" name="Manager" {manager}/>
    <bpmn:sequenceFlow id="f2" sourceRef="manager" targetRef="big"/>
    <bpmn:exclusiveGateway id="big" default="f4"/>
    <bpmn:sequenceFlow id="f3" sourceRef="big" targetRef="director">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"
        ><![CDATA[{condition}]]></bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="big" targetRef="end"/>
    <bpmn:userTask id="director" name="Director" gs:form="{form_key}"
        gs:assignee="role:east_sales_director"/>
    <bpmn:sequenceFlow id="f5" sourceRef="director" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
"""
