"""Alerts and their actions: once per level change, escalation, closing, to-dos, inbox.
(Emails: ``test_system_email``.)"""

from __future__ import annotations

from tests.forms_fixtures import records_url
from tests.rules_fixtures import add_batch, batch_values, levels_of, setup_rule

TODO = {"type": "todo", "assignee": {"role": "clerk"}}


def _actions(tenant):
    role = tenant.admin.post(
        "/api/v1/roles",
        json={
            "name": "仓管",
            "code": "clerk",
            "permissions": ["records.read", "records.write"],
            "data_scope": "all",
        },
    ).json
    return role, {
        "yellow": [
            TODO,
            {"type": "notify", "recipients": {"role": "clerk"}, "channels": ["in_app"]},
        ],
        "red": [{**TODO, "title": "红牌 {{title}}"}],
        "expired": [TODO],
    }


def _run(tenant, rule):
    response = tenant.admin.post(f"/api/v1/rules/{rule['id']}/run")
    assert response.status_code == 200, response.json
    return response.json


def test_rescan_without_change_fires_nothing(tenant):
    role, actions = _actions(tenant)
    form, rule = setup_rule(tenant, {"actions": actions})
    clerk = tenant.user_client("clerk", role_ids=[role["id"]])
    add_batch(tenant, form, "Y1", 45)
    first = clerk.get("/api/v1/todos").json
    assert first["total"] == 1  # the record's creation already triggered the rule
    todo = first["items"][0]
    assert todo["level"] == "yellow" and todo["days_left"] == 45
    for words in ("Y1", "10", "east", "45"):
        assert words in todo["body"]
    again = _run(tenant, rule)
    assert again["fired"] == 0 and again["opened"] == 0
    assert clerk.get("/api/v1/todos").json["total"] == 1
    assert len(clerk.get("/api/v1/notifications").json["items"]) == 1


def test_escalation_fires_only_the_red_actions_and_closing_works(tenant):
    role, actions = _actions(tenant)
    form, rule = setup_rule(tenant, {"actions": actions})
    clerk = tenant.user_client("clerk", role_ids=[role["id"]])
    record = add_batch(tenant, form, "B1", 45)
    url = f"{records_url(form)}/{record['id']}"
    # Someone corrects the production date: 20 days left, so red.
    red = {"produced": batch_values(20)["produced"]}
    assert tenant.admin.patch(url, json={"row_version": 1, "values": red}).status_code == 200
    todos = clerk.get("/api/v1/todos").json["items"]
    assert sorted(t["level"] for t in todos) == ["red", "yellow"]
    assert any(t["title"] == "红牌 B1" for t in todos)
    assert len(clerk.get("/api/v1/notifications").json["items"]) == 1  # red has no notify
    alert = tenant.admin.get(f"/api/v1/alerts?rule_id={rule['id']}").json["items"][0]
    assert alert["level"] == "red" and alert["escalations"] == 1

    # Sold out: the record leaves the scope (qty > 0) and the alert closes.
    assert tenant.admin.patch(url, json={"row_version": 2, "values": {"qty": 0}}).status_code == 200
    assert levels_of(tenant, rule) == {}
    closed = tenant.admin.get(f"/api/v1/alerts?rule_id={rule['id']}&closed=true").json["items"]
    assert closed[0]["close_reason"] == "left scope"
    history = tenant.admin.get(f"/api/v1/alerts/{closed[0]['id']}/events").json["items"]
    assert [(e["from_level"], e["to_level"]) for e in history] == [
        (None, "yellow"),
        ("yellow", "red"),
        ("red", None),
    ]


def test_todo_claim_and_complete_records_handling_time(tenant):
    role, actions = _actions(tenant)
    form, rule = setup_rule(tenant, {"actions": actions})
    clerk = tenant.user_client("clerk", role_ids=[role["id"]])
    other = tenant.user_client("other-clerk", role_ids=[role["id"]])
    add_batch(tenant, form, "R1", 10)
    todo = clerk.get("/api/v1/todos?level=red").json["items"][0]
    assert clerk.post(f"/api/v1/todos/{todo['id']}/claim").json["status"] == "claimed"
    assert other.post(f"/api/v1/todos/{todo['id']}/claim").status_code in (404, 409)
    assert other.get("/api/v1/todos").json["total"] == 0
    empty = clerk.post(f"/api/v1/todos/{todo['id']}/complete", json={"result": ""})
    assert empty.status_code == 422
    done = clerk.post(f"/api/v1/todos/{todo['id']}/complete", json={"result": "移入临期专区"})
    assert done.json["status"] == "done" and done.json["done_at"]
    alert = tenant.admin.get(f"/api/v1/alerts?rule_id={rule['id']}").json["items"][0]
    assert alert["handled_at"] is not None
    assert clerk.get("/api/v1/todos").json["total"] == 0
    assert clerk.get("/api/v1/todos?status=done").json["total"] == 1


def test_digest_sends_one_message_per_recipient(tenant):
    role, actions = _actions(tenant)
    form, rule = setup_rule(tenant, {"actions": actions, "digest": True}, publish=False)
    clerk = tenant.user_client("clerk", role_ids=[role["id"]])
    for i in range(5):
        add_batch(tenant, form, f"Y{i}", 40 + i)
    tenant.admin.post(f"/api/v1/rules/{rule['id']}/publish")
    _run(tenant, rule)
    inbox = clerk.get("/api/v1/notifications").json["items"]
    assert len(inbox) == 1 and "5" in inbox[0]["title"]
    assert all(f"Y{i}" in inbox[0]["body"] for i in range(5))
    assert clerk.get("/api/v1/todos").json["total"] == 5


def test_a_long_digest_shows_its_first_items_and_counts_every_one(tenant):
    from app.rules.actions import DIGEST_ITEMS

    role, actions = _actions(tenant)
    form, rule = setup_rule(tenant, {"actions": actions, "digest": True}, publish=False)
    clerk = tenant.user_client("clerk", role_ids=[role["id"]])
    many = DIGEST_ITEMS + 40
    rows = [{"batch_no": f"L{i:04d}", **batch_values(45)} for i in range(many)]
    created = tenant.admin.post(f"{records_url(form)}/bulk", json={"records": rows})
    assert created.status_code == 201, created.json
    tenant.admin.post(f"/api/v1/rules/{rule['id']}/publish")
    assert _run(tenant, rule)["fired"] == many
    [note] = clerk.get("/api/v1/notifications").json["items"]
    assert str(many) in note["title"]
    assert "L0000" in note["body"] and f"L{many - 1:04d}" not in note["body"]
    shown = note["body"].count("临期品处理 L")
    assert 0 < shown < many and f"另有 {many - shown} 项" in note["body"]
    assert clerk.get("/api/v1/todos").json["total"] == many


def test_todo_texts_take_record_fields_and_alert_facts(tenant):
    from_record = {
        **TODO,
        "title": "{{sku}} / {{title}}",
        "template": "{{level_name}} {{quantity}} 件 {{warehouse}} {{shelf_days}}",
    }
    facts_only = {**TODO, "title": "{{title}}", "template": "{{quantity}} 件 剩 {{days_left}} 天"}
    role, _ = _actions(tenant)
    actions = {"yellow": [from_record], "red": [facts_only]}
    form, rule = setup_rule(tenant, {"actions": actions})
    clerk = tenant.user_client("clerk", role_ids=[role["id"]])
    add_batch(tenant, form, "Y1", 45, sku="牛奶 1L", qty=12, cost="3.5")
    add_batch(tenant, form, "R1", 10, qty=7)
    todos = {t["level"]: t for t in clerk.get("/api/v1/todos").json["items"]}
    assert todos["yellow"]["title"] == "牛奶 1L / Y1"
    assert todos["yellow"]["body"] == "黄牌 Yellow 12 件 east 100"
    assert todos["red"]["title"] == "R1"
    assert todos["red"]["body"] == "7 件 剩 10 天"


def test_preview_counts_levels_and_compares_with_the_published_version(tenant):
    form, rule = setup_rule(tenant)
    for name, days in {"a": 70, "b": 45, "c": 20, "d": 0}.items():
        add_batch(tenant, form, name, days, qty=4)
    draft = dict(tenant.admin.get(f"/api/v1/rules/{rule['id']}").json["draft"])
    draft["levels"] = {"red": 50, "yellow": 80}
    preview = tenant.admin.post(f"/api/v1/rules/{rule['id']}/preview", json={"draft": draft})
    assert preview.status_code == 200, preview.json
    levels = preview.json["levels"]
    assert {k: v["count"] for k, v in levels.items()} == {
        "expired": 1,
        "red": 2,
        "yellow": 1,
        "green": 0,
        "unknown": 0,
    }
    assert levels["red"]["quantity"] == "8" and levels["red"]["value"].startswith("20")
    assert preview.json["changes"] == {"yellow->red": 1, "green->yellow": 1}
    assert "east|red" in preview.json["by_warehouse"]
    assert levels_of(tenant, rule)["b"] == "yellow"  # nothing was published or fired


def test_a_rule_that_cannot_run_does_not_fail_the_save_that_triggered_it(tenant, app_db):
    from sqlalchemy import update

    from app.models import RuleVersion

    form, rule = setup_rule(tenant)
    with app_db() as session:  # the rule's form lost the field its scope reads
        broken = {**rule["draft"], "scope": {">": [{"var": "qty"}, 0]}, "quantity_field": "gone"}
        session.execute(
            update(RuleVersion).where(RuleVersion.rule_id == rule["id"]).values(definition=broken)
        )
        session.commit()
    created = tenant.admin.post(records_url(form), json={"batch_no": "K1", **batch_values(10)})
    assert created.status_code == 201, created.json
    kept = tenant.admin.get(f"{records_url(form)}/{created.json['id']}")
    assert kept.status_code == 200 and kept.json["batch_no"] == "K1"
    trail = tenant.admin.get("/api/v1/audit?object_type=rule").json["items"]
    assert [e["action"] for e in trail if e["object_id"] == str(rule["id"])][:1] == ["scan_failed"]
