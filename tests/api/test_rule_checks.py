"""Publishing checks every problem of a rule at once, each under its path, in Chinese too."""

from __future__ import annotations

from tests.rules_fixtures import setup_rule

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def _robot(tenant, key: str, kind: str) -> None:
    config = (
        {"webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=T", "secret": "S"}
        if kind == "dingtalk_robot"
        else {"url": "https://erp.example.com/api"}
    )
    created = tenant.admin.post(
        "/api/v1/connectors",
        json={"key": key, "type": kind, "label": {"zh": key}, "config": config},
    )
    assert created.status_code == 201, created.json


def _publish(tenant, extra: dict, headers: dict | None = None):
    _, rule = setup_rule(tenant, extra, publish=False)
    return tenant.admin.post(f"/api/v1/rules/{rule['id']}/publish", headers=headers or {})


def test_every_problem_comes_back_at_once_with_its_path(tenant):
    _robot(tenant, "erp", "http")
    extra = {
        "metric": "sideways",  # shape
        "levels": {"red": 60, "yellow": 30},  # order
        "overrides": [
            {"when": {"==": [{"var": "colour"}, "red"]}, "levels": {"red": 10, "yellow": 5}}
        ],
        "scope": {">": [{"var": "weight"}, 0]},
        "actions": {
            "yellow": [
                {"type": "todo", "assignee": {"role": "nobody"}},
                {"type": "notify", "recipients": {"user": 999999}},
                {"type": "notify", "recipients": {"field": "sku"}},
            ],
            "red": [{"type": "notify", "connector": "erp"}, {"type": "notify", "connector": "x"}],
        },
    }
    response = _publish(tenant, extra)
    assert response.status_code == 422, response.json
    assert set(response.json["errors"]) == {
        "metric",
        "levels",
        "overrides.0.levels",
        "overrides.0.when",
        "scope",
        "actions.yellow.0.assignee.role",
        "actions.yellow.1.recipients.user",
        "actions.yellow.2.recipients.field",
        "actions.red.0.connector",
        "actions.red.1.connector",
    }


def test_problems_are_told_in_chinese(tenant):
    _robot(tenant, "erp", "http")
    extra = {
        "levels": {"red": 60, "yellow": 30},
        "actions": {
            "red": [
                {"type": "todo", "assignee": {"role": "nobody"}},
                {"type": "notify", "connector": "erp"},
                {"type": "start_flow", "flow": "disposal"},
            ]
        },
    }
    response = _publish(tenant, extra, ZH)
    assert response.status_code == 422
    assert response.json["message"] == "预警规则有误。"
    assert response.json["errors"] == {
        "levels": ["红牌阈值必须低于黄牌阈值。"],
        "actions.red.0.assignee.role": ["没有编码为“nobody”的角色。"],
        "actions.red.1.connector": ["“erp”是 http 连接器，不是群机器人。"],
        "actions.red.2.mapping": ["缺少必填项“mapping”"],
        "actions.red.2.flow": ["没有流程“disposal”。"],
    }


def test_people_and_robots_that_exist_pass(tenant):
    _robot(tenant, "ops", "dingtalk_robot")
    role = tenant.admin.post("/api/v1/roles", json={"name": "仓管", "code": "clerk"}).json
    clerk = tenant.add_user("clerk", role_ids=[role["id"]])
    extra = {
        "overrides": [
            {"when": {"==": [{"var": "category"}, "dairy"]}, "levels": {"red": 40, "yellow": 70}}
        ],
        "actions": {
            "yellow": [{"type": "todo", "assignee": {"role": "clerk"}}],
            "red": [
                {"type": "notify", "recipients": {"user": clerk["id"]}},
                {"type": "notify", "recipients": {"field": "owner"}},
                {"type": "todo", "assignee": {"department_head": True}},
                {"type": "notify", "connector": "ops"},
            ],
        },
    }
    response = _publish(tenant, extra)
    assert response.status_code == 201, response.json


def test_predicted_unsold_wants_red_above_yellow(tenant):
    response = _publish(tenant, {"levels": {"red": 10, "yellow": 50}})  # % metric: fine
    assert response.status_code == 201, response.json
    response = _publish(tenant, {"metric": "remaining_days", "levels": {"red": 7, "yellow": 7}})
    assert response.status_code == 422 and "levels" in response.json["errors"]
