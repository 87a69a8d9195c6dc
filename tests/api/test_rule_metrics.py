"""Shelf life looked up through a relation, and predicted unsold quantity from sales."""

from __future__ import annotations

from datetime import timedelta

from tests.forms_fixtures import make_form, records_url
from tests.rules_fixtures import levels_of, tenant_today


def _publish_rule(tenant, key, definition):
    rule = tenant.admin.post(
        "/api/v1/rules", json={"key": key, "label": {"zh": key}, "draft": definition}
    )
    assert rule.status_code == 201, rule.json
    published = tenant.admin.post(f"/api/v1/rules/{rule.json['id']}/publish")
    assert published.status_code == 201, published.json
    return rule.json


def _forms(tenant):
    sku = make_form(
        tenant,
        key="sku",
        fields=[
            {"key": "name", "type": "text", "label": "名称"},
            {"key": "shelf_days", "type": "integer", "label": "保质期"},
        ],
    )
    batch = make_form(
        tenant,
        key="lot",
        fields=[
            {"key": "batch_no", "type": "text", "label": "批次"},
            {
                "key": "sku",
                "type": "relation",
                "label": "商品",
                "relation": {"form": "sku", "display": "name"},
            },
            {"key": "produced", "type": "date", "label": "生产日期"},
            {"key": "qty", "type": "integer", "label": "数量"},
        ],
    )
    sales = make_form(
        tenant,
        key="sale",
        fields=[
            {
                "key": "sku",
                "type": "relation",
                "label": "商品",
                "relation": {"form": "sku", "display": "name"},
            },
            {"key": "qty", "type": "integer", "label": "数量"},
            {"key": "date", "type": "date", "label": "日期"},
        ],
    )
    return sku, batch, sales


def test_shelf_life_from_the_sku_form(tenant):
    sku, batch, _ = _forms(tenant)
    milk = tenant.admin.post(records_url(sku), json={"name": "牛奶", "shelf_days": 10}).json
    chips = tenant.admin.post(records_url(sku), json={"name": "薯片", "shelf_days": 300}).json
    produced = (tenant_today() - timedelta(days=5)).isoformat()
    for name, item in (("MILK", milk), ("CHIPS", chips)):
        tenant.admin.post(
            records_url(batch),
            json={"batch_no": name, "sku": item["id"], "produced": produced, "qty": 1},
        )
    rule = _publish_rule(
        tenant,
        "via_sku",
        {
            "form": "lot",
            "title_field": "batch_no",
            "metric": "remaining_pct",
            "expiry": {
                "production_field": "produced",
                "shelf_life_from": {"relation": "sku", "field": "shelf_days"},
            },
        },
    )
    tenant.admin.post(f"/api/v1/rules/{rule['id']}/run")
    # Milk: 5 of 10 days left = 50 % (yellow); chips: 295 of 300 (green, no alert).
    assert levels_of(tenant, rule) == {"MILK": "yellow"}


def test_predicted_unsold_from_recent_sales(tenant):
    sku, batch, sales = _forms(tenant)
    fast = tenant.admin.post(records_url(sku), json={"name": "畅销", "shelf_days": 30}).json
    slow = tenant.admin.post(records_url(sku), json={"name": "滞销", "shelf_days": 30}).json
    today = tenant_today()
    for day in range(10):  # fast sells 30 a day, slow 1 a day, over the last 30 days window
        date = (today - timedelta(days=day)).isoformat()
        tenant.admin.post(records_url(sales), json={"sku": fast["id"], "qty": 90, "date": date})
        tenant.admin.post(records_url(sales), json={"sku": slow["id"], "qty": 3, "date": date})
    old = (today - timedelta(days=40)).isoformat()  # outside the window: ignored
    tenant.admin.post(records_url(sales), json={"sku": slow["id"], "qty": 9000, "date": old})
    produced = (today - timedelta(days=20)).isoformat()  # 10 days left
    for name, item in (("FAST", fast), ("SLOW", slow)):
        tenant.admin.post(
            records_url(batch),
            json={"batch_no": name, "sku": item["id"], "produced": produced, "qty": 300},
        )
    rule = _publish_rule(
        tenant,
        "unsold",
        {
            "form": "lot",
            "title_field": "batch_no",
            "metric": "predicted_unsold",
            "quantity_field": "qty",
            "levels": {"red": 200, "yellow": 50},
            "expiry": {
                "production_field": "produced",
                "shelf_life_from": {"relation": "sku", "field": "shelf_days"},
            },
            "sales": {
                "form": "sale",
                "match_field": "sku",
                "sales_match_field": "sku",
                "qty_field": "qty",
                "date_field": "date",
                "window_days": 30,
            },
        },
    )
    tenant.admin.post(f"/api/v1/rules/{rule['id']}/run")
    # Fast: 900/30 = 30 a day x 10 days = 300 sold, 0 left (green).
    # Slow: 30/30 = 1 a day x 10 days = 10 sold, 290 left (red).
    assert levels_of(tenant, rule) == {"SLOW": "red"}
    alert = tenant.admin.get(f"/api/v1/alerts?rule_id={rule['id']}").json["items"][0]
    assert float(alert["metric"]) == 290
