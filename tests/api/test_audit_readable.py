"""The audit log as people read it: what was changed is named (the form's label and the
record's title, a role's name), each change is a field label with the values as the form
shows them, in the reader's language; filters by time; raw JSON only in ``diff``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.expiry_fixtures import template_shop, url

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


@pytest.fixture
def shop(tenant, app):
    return template_shop(tenant, app, (("LOT", 0, 40, 12),))


def _entries(shop, headers, **query) -> list[dict]:
    answer = shop.admin.get("/api/v1/audit", query_string=query, headers=headers)
    assert answer.status_code == 200, answer.json
    return answer.json["items"]


def test_a_record_change_reads_as_labels_titles_and_option_names(shop):
    batch = shop.batches["LOT"]
    current = shop.admin.get(f"{url(shop, 'batch')}/{batch}").json
    changed = shop.admin.patch(
        f"{url(shop, 'batch')}/{batch}",
        json={
            "values": {"warehouse": shop.warehouses[1], "status": "disposing", "location": "A-01"},
            "row_version": current["_row_version"],
        },
    )
    assert changed.status_code == 200, changed.json
    query = {"object_type": "record:batch", "object_id": str(batch), "action": "update"}

    [zh] = [e for e in _entries(shop, ZH, **query) if "status" in e["diff"]]
    assert (zh["object_label"], zh["object_title"], zh["action_label"]) == (
        "批次库存",
        current["batch_no"],
        "修改",
    )
    lines = {c["label"]: (c["before"], c["after"]) for c in zh["changes"]}
    assert lines["仓库"] == ("仓1", "仓2")
    assert lines["状态"] == ("在库", "处置中")
    assert lines["库位"] == ("", "A-01")
    assert zh["diff"]["status"] == ["in_stock", "disposing"]  # the details keep the raw values

    [en] = [e for e in _entries(shop, EN, **query) if "status" in e["diff"]]
    assert (en["object_label"], en["action_label"]) == ("Batches", "Changed")
    lines = {c["label"]: (c["before"], c["after"]) for c in en["changes"]}
    assert lines["Status"] == ("In stock", "Being disposed")
    assert lines["Warehouse"] == ("仓1", "仓2")


def test_a_platform_object_is_named_and_its_columns_labelled(shop):
    role = shop.admin.post(
        "/api/v1/roles", json={"code": "auditors", "name": "审计员", "permissions": ["audit.read"]}
    ).json
    assert shop.admin.patch(f"/api/v1/roles/{role['id']}", json={"name": "内审"}).status_code == 200
    entries = _entries(shop, ZH, object_type="roles", object_id=str(role["id"]))
    update = next(e for e in entries if e["action"] == "update")
    assert (update["object_label"], update["object_title"]) == ("角色", "内审")
    renamed = {"label": "名称", "before": "审计员", "after": "内审", "field": "name"}
    assert renamed in update["changes"]
    created = next(e for e in entries if e["action"] == "create")
    assert created["action_label"] == "新建"
    # no entry on the first page is named by a table or a key
    for entry in _entries(shop, ZH, page_size=100):
        assert entry["object_label"] and entry["object_label"] != entry["object_type"]
        assert "_" not in entry["object_label"], entry


def test_filters_by_time_and_the_kinds_offered(shop):
    now = datetime.now(UTC)
    assert _entries(shop, ZH, since=(now + timedelta(hours=1)).isoformat()) == []
    assert _entries(shop, ZH, until=(now - timedelta(days=1)).isoformat()) == []
    recent = _entries(shop, ZH, since=(now - timedelta(hours=1)).isoformat(), page_size=5)
    assert len(recent) == 5
    wrong = shop.admin.get(
        "/api/v1/audit",
        query_string={"since": now.isoformat(), "until": (now - timedelta(days=1)).isoformat()},
    )
    assert wrong.status_code == 422 and "until" in str(wrong.json["errors"])
    kinds = shop.admin.get("/api/v1/audit/object-types", headers=ZH).json["items"]
    assert {"value": "record:batch", "label": "批次库存"} in kinds
    assert {"value": "roles", "label": "角色"} in kinds
