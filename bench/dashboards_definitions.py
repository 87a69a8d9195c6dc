"""What ``bench/dashboards.py`` builds: the batch and stock-move forms, the shelf-life rule
and the cockpit-style charts it times, with the values its generated rows draw from."""

from __future__ import annotations

#: the warning rule the charts read levels from
RULE = "shelf_life"

CATEGORIES = ["dairy", "bakery", "snacks", "beverage", "frozen", "produce", "household"]
REGIONS = {"east": "huadong", "south": "huanan", "north": "huabei", "west": "xinan"}
WAREHOUSES = [f"{region}-{n}" for region in REGIONS for n in (1, 2)]
#: stock move kinds and how often each happens
KINDS = {
    "inbound": 20,
    "sale": 55,
    "transfer": 10,
    "return": 5,
    "disposal": 4,
    "scrap": 3,
    "conversion": 3,
}
KIND_NAMES, KIND_WEIGHTS = list(KINDS), list(KINDS.values())
DISPOSAL_KINDS = ["disposal", "scrap", "conversion"]
NEAR_EXPIRY = ["yellow", "red", "expired"]


def _options(values) -> list[dict]:
    return [{"value": v, "label": {"zh": v}} for v in values]


BATCH_FIELDS = [
    {"key": "batch_no", "type": "text", "label": {"zh": "批次号"}},
    {"key": "sku", "type": "text", "label": {"zh": "商品"}},
    {
        "key": "category",
        "type": "select",
        "label": {"zh": "品类"},
        "indexed": True,
        "options": _options(CATEGORIES),
    },
    {
        "key": "warehouse",
        "type": "select",
        "label": {"zh": "仓库"},
        "indexed": True,
        "options": _options(WAREHOUSES),
    },
    {"key": "region", "type": "select", "label": {"zh": "大区"}, "options": _options(REGIONS)},
    {"key": "qty", "type": "integer", "label": {"zh": "库存数量"}},
    {"key": "cost", "type": "money", "label": {"zh": "单位成本"}},
    {"key": "produced", "type": "date", "label": {"zh": "生产日期"}},
    {"key": "shelf_days", "type": "integer", "label": {"zh": "保质期(天)"}},
]
MOVE_FIELDS = [
    {
        "key": "batch",
        "type": "relation",
        "label": {"zh": "批次"},
        "relation": {"form": "batches", "display": "batch_no"},
    },
    {
        "key": "kind",
        "type": "select",
        "label": {"zh": "类型"},
        "indexed": True,
        "options": _options(KINDS),
    },
    {"key": "qty", "type": "integer", "label": {"zh": "数量"}},
    {"key": "amount", "type": "money", "label": {"zh": "金额"}},
    {"key": "date", "type": "date", "label": {"zh": "日期"}, "indexed": True},
]
SHELF_RULE = {
    "form": "batches",
    "expiry": {"production_field": "produced", "shelf_life_field": "shelf_days"},
    "metric": "remaining_pct",
    "scope": {">": [{"var": "qty"}, 0]},
    "levels": {"red": 30, "yellow": 60},
    "overrides": [
        {
            "name": "dairy",
            "when": {"==": [{"var": "category"}, "dairy"]},
            "levels": {"red": 40, "yellow": 70},
        }
    ],
    "quantity_field": "qty",
    "cost_field": "cost",
    "category_field": "category",
    "warehouse_field": "warehouse",
    "title_field": "batch_no",
}
STOCK_VALUE = {"*": [{"var": "qty"}, {"var": "cost"}]}
#: the four charts as the chart builder saves them: (key, form, label, definition)
CHARTS = [
    (
        "near_expiry_by_warehouse",
        "batches",
        "临期库存 (仓库 × 等级)",
        {
            "type": "stacked_bar",
            "dimensions": [{"field": "warehouse"}, {"alert_level": RULE}],
            "measures": [
                {"key": "batches", "agg": "count"},
                {"key": "value", "agg": "sum", "expr": STOCK_VALUE},
            ],
            "filter": {"in": [{"alert_level": RULE}, NEAR_EXPIRY]},
        },
    ),
    (
        "disposals_by_month",
        "moves",
        "处置 (类型 × 月)",
        {
            "type": "bar",
            "dimensions": [{"field": "kind"}, {"field": "date", "bucket": "month"}],
            "measures": [
                {"key": "amount", "agg": "sum", "field": "amount"},
                {"key": "moves", "agg": "count"},
            ],
            "filter": {"in": [{"var": "kind"}, DISPOSAL_KINDS]},
            "date_field": "date",
        },
    ),
    (
        "scrap_loss_trend",
        "moves",
        "报废损失趋势",
        {
            "type": "line",
            "dimensions": [{"field": "date", "bucket": "month"}],
            "measures": [
                {"key": "loss", "agg": "sum", "field": "amount"},
                {"key": "moves", "agg": "count"},
            ],
            "filter": {"==": [{"var": "kind"}, "scrap"]},
            "date_field": "date",
            "compare": "previous_period",
        },
    ),
    (
        "near_expiry_value",
        "batches",
        "临期货值 (黄+红)",
        {
            "type": "kpi",
            "measures": [{"key": "value", "agg": "sum", "expr": STOCK_VALUE}],
            "filter": {"in": [{"alert_level": RULE}, ["yellow", "red"]]},
            "date_field": "produced",
            "compare": "previous_period",
        },
    ),
    (
        "alerts_by_month",
        "batches",
        "预警发出与处理 (月)",
        {
            "source": "alerts",
            "type": "bar",
            "dimensions": [{"field": "alert_raised_at", "bucket": "month"}],
            "measures": [
                {"key": "raised", "agg": "count"},
                {"key": "handled", "agg": "count", "field": "alert_handled_at"},
                {"key": "hours", "agg": "avg", "field": "alert_hours"},
            ],
            "date_field": "alert_raised_at",
        },
    ),
]
