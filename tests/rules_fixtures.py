"""A batch form and warning rules built through the API, relative to the tenant's today."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.forms_fixtures import make_form, records_url

CHOICES = [{"value": v} for v in ("dairy", "snacks", "east", "south")]
BATCH = [
    {"key": "batch_no", "type": "text", "label": "批次号", "unique": True},
    {"key": "sku", "type": "text", "label": "商品"},
    {"key": "category", "type": "select", "label": "品类", "options": CHOICES[:2]},
    {"key": "warehouse", "type": "select", "label": "仓库", "options": CHOICES[2:]},
    {"key": "qty", "type": "integer", "label": "数量"},
    {"key": "cost", "type": "money", "label": "单位成本"},
    {"key": "produced", "type": "date", "label": "生产日期"},
    {"key": "shelf_days", "type": "integer", "label": "保质期(天)"},
    {"key": "owner", "type": "user", "label": "负责人"},
]


def tenant_today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def batch_values(days_left: int | None, shelf_days: int = 100, **extra) -> dict:
    """A batch whose remaining shelf life is ``days_left`` of ``shelf_days`` days."""
    values = {
        "qty": 10,
        "cost": "2.5",
        "category": "dairy",
        "warehouse": "east",
        "shelf_days": shelf_days,
        **extra,
    }
    if days_left is not None:
        values["produced"] = (tenant_today() - timedelta(days=shelf_days - days_left)).isoformat()
    return values


def rule_definition(form_key: str, **extra) -> dict:
    """The shelf-life rule the tests use; an ``extra`` of None leaves that setting out."""
    definition = {
        "form": form_key,
        "expiry": {"production_field": "produced", "shelf_life_field": "shelf_days"},
        "metric": "remaining_pct",
        "scope": {">": [{"var": "qty"}, 0]},
        "quantity_field": "qty",
        "cost_field": "cost",
        "category_field": "category",
        "warehouse_field": "warehouse",
        "title_field": "batch_no",
        **extra,
    }
    return {k: v for k, v in definition.items() if v is not None}


def setup_rule(
    tenant, definition_extra: dict | None = None, publish: bool = True, fields: list | None = None
):
    form = make_form(tenant, fields=fields or BATCH)
    definition = rule_definition(form["key"], **(definition_extra or {}))
    rule = tenant.admin.post(
        "/api/v1/rules",
        json={"key": f"rule_{form['key']}", "label": {"zh": "临期预警"}, "draft": definition},
    )
    assert rule.status_code == 201, rule.json
    if publish:
        published = tenant.admin.post(f"/api/v1/rules/{rule.json['id']}/publish")
        assert published.status_code == 201, published.json
    return form, rule.json


def add_batch(tenant, form, batch_no: str, days_left: int | None, **extra) -> dict:
    response = tenant.admin.post(
        records_url(form), json={"batch_no": batch_no, **batch_values(days_left, **extra)}
    )
    assert response.status_code == 201, response.json
    return response.json


def levels_of(tenant, rule) -> dict[str, str]:
    alerts = tenant.admin.get(f"/api/v1/alerts?rule_id={rule['id']}&page_size=500").json["items"]
    return {a["title"]: a["level"] for a in alerts}
