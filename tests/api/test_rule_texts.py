"""A to-do (written by the database) and a message (rendered in Python) about the same batch
say the same thing, word for word, for every kind of value a template can name."""

from __future__ import annotations

import pytest

from tests.connectors_fixtures import system_emails
from tests.rules_fixtures import BATCH, add_batch, setup_rule

LABELLED = [
    {"value": "east", "label": {"zh": "华东仓", "en": "East"}},
    {"value": "south", "label": {"zh": "华南仓", "en": "South"}},
]
FIELDS = [
    *[f for f in BATCH if f["key"] not in ("warehouse", "cost")],
    {"key": "warehouse", "type": "select", "label": "仓库", "options": LABELLED},
    {"key": "cost", "type": "money", "label": "单位成本"},
    {"key": "weight", "type": "decimal", "label": "重量", "validations": {"scale": 2}},
    {"key": "share", "type": "percent", "label": "折扣"},
    {"key": "checked_at", "type": "datetime", "label": "盘点时间"},
    {"key": "opens", "type": "time", "label": "开门"},
    {"key": "sealed", "type": "switch", "label": "已封存"},
    {"key": "grade", "type": "radio", "label": "等级", "options": LABELLED},
    {"key": "tags", "type": "checkbox", "label": "标签", "options": LABELLED},
    {"key": "note", "type": "textarea", "label": "备注"},
    {"key": "stars", "type": "rating", "label": "评分"},
]
PLACES = [
    "title",
    "sku",
    "qty",
    "cost",
    "weight",
    "share",
    "produced",
    "checked_at",
    "opens",
    "sealed",
    "grade",
    "tags",
    "warehouse",
    "category",
    "note",
    "stars",
    "quantity",
    "days_left",
    "metric",
    "level_name",
]
TITLE = "{{title}} {{cost}}"
TEMPLATE = "|".join(f"{name}={{{{{name}}}}}" for name in PLACES)
FULL = {
    "sku": "牛奶 1L",
    "weight": "3.5",
    "share": "35.5",
    "checked_at": "2026-01-02T03:04:05+08:00",
    "opens": "08:30",
    "sealed": True,
    "grade": "south",
    "tags": ["south", "east"],
    "note": "靠近门口",
    "stars": 4,
}
#: (batch, its values, what its message and its to-do both say)
BATCHES = [
    (
        "C3.5",
        {"qty": 12, "cost": "3.5", **FULL},
        "title=C3.5|sku=牛奶 1L|qty=12|cost=¥3.50|weight=3.50|share=35.5%|produced={produced}"
        "|checked_at=2026-01-01 19:04:05+00:00|opens=08:30:00|sealed=是|grade=华南仓"
        "|tags=华南仓, 华东仓|warehouse=华东仓|category=dairy|note=靠近门口|stars=4"
        "|quantity=12|days_left=10|metric=10.0000|level_name=红牌 Red",
    ),
    (
        "C12",
        {"qty": 7, "cost": 12, **FULL, "weight": 12, "share": 12, "sealed": False},
        "|cost=¥12.00|weight=12.00|share=12%|",
    ),
    (
        "C1234567.89",
        {"qty": 3, "cost": "1234567.89", "weight": "1234567.89", "warehouse": "south"},
        "|cost=¥1,234,567.89|weight=1234567.89|share=|",
    ),
    (
        "EMPTY",
        {"qty": 1, "cost": None, "sku": None},
        "|sku=|qty=1|cost=|weight=|share=|produced={produced}|checked_at=|opens=|sealed="
        "|grade=|tags=|warehouse=华东仓|category=dairy|note=|stars=|quantity=1|",
    ),
]


@pytest.fixture
def fired(tenant):
    """Every batch's to-do and messages, after a red alert on each."""
    role = tenant.admin.post(
        "/api/v1/roles",
        json={
            "name": "仓管",
            "code": "clerk",
            "permissions": ["records.read"],
            "data_scope": "all",  # told of the records they can open: all of them
        },
    ).json
    clerk = tenant.user_client("clerk", role_ids=[role["id"]], email="clerk@example.com")
    words = {"title": TITLE, "template": TEMPLATE}
    actions = {
        "red": [
            {"type": "todo", "assignee": {"role": "clerk"}, **words},
            {
                "type": "notify",
                "recipients": {"role": "clerk"},
                "channels": ["in_app", "email"],
                **words,
            },
        ]
    }
    form, _ = setup_rule(tenant, {"actions": actions}, fields=FIELDS)
    produced = {}
    for batch_no, values, _ in BATCHES:
        produced[batch_no] = add_batch(tenant, form, batch_no, 10, **values)["produced"]
    todos = {t["title"]: t for t in clerk.get("/api/v1/todos?page_size=50").json["items"]}
    notes = {n["title"]: n for n in clerk.get("/api/v1/notifications").json["items"]}
    emails = {e["inputs"]["subject"]: e["inputs"] for e in system_emails(tenant)}
    return todos, notes, emails, produced


def _title(batch_no: str, values: dict) -> str:
    cost = {"3.5": "¥3.50", 12: "¥12.00", "1234567.89": "¥1,234,567.89"}.get(values["cost"], "")
    return f"{batch_no} {cost}"


@pytest.mark.parametrize(("batch_no", "values", "expected"), BATCHES, ids=[b[0] for b in BATCHES])
def test_a_todo_and_its_messages_word_every_value_alike(fired, batch_no, values, expected):
    todos, notes, emails, produced = fired
    title = _title(batch_no, values)
    todo, note, email = todos[title], notes[title], emails[title]
    # a message carries the record's link under the text; the to-do links by its record
    assert note["body"].split("\n")[0] == todo["body"] == email["text"].split("\n")[0]
    expected = expected.format(produced=produced[batch_no])
    if expected.startswith("title="):
        assert todo["body"] == expected
    else:
        assert expected in todo["body"]
