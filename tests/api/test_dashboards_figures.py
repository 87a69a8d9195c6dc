"""A chart's figures against hand-computed expectations on one fixed set of batches: every
measure, every date bucket, a relation dimension, sorting and top N, the previous period,
empty groups, nulls and decimals, labels in both languages, and the Excel copy."""

from __future__ import annotations

import io
import uuid

import pytest
from openpyxl import load_workbook

from app.auth.tenants import create_tenant
from app.extensions import db
from tests.conftest import ADMIN_PASSWORD, TenantFixture
from tests.forms_fixtures import make_form, records_url

SKU_FIELDS = [
    {"key": "code", "type": "text", "label": {"zh": "编码", "en": "Code"}},
    {
        "key": "category",
        "type": "select",
        "label": {"zh": "品类", "en": "Category"},
        "options": [
            {"value": "dairy", "label": {"zh": "乳品", "en": "Dairy"}},
            {"value": "snacks", "label": {"zh": "零食", "en": "Snacks"}},
        ],
    },
]


def batch_fields(sku_key: str) -> list[dict]:
    return [
        {"key": "batch_no", "type": "text", "label": {"zh": "批次号", "en": "Batch"}},
        {
            "key": "warehouse",
            "type": "select",
            "label": {"zh": "仓库", "en": "Warehouse"},
            "options": [
                {"value": "east", "label": {"zh": "华东仓", "en": "East"}},
                {"value": "south", "label": {"zh": "华南仓", "en": "South"}},
            ],
        },
        {"key": "qty", "type": "integer", "label": {"zh": "数量", "en": "Qty"}},
        {"key": "cost", "type": "money", "label": {"zh": "成本", "en": "Cost"}},
        {"key": "produced", "type": "date", "label": {"zh": "生产日期", "en": "Produced"}},
        {"key": "owner", "type": "user", "label": {"zh": "负责人", "en": "Owner"}},
        {
            "key": "sku",
            "type": "relation",
            "label": {"zh": "商品", "en": "SKU"},
            "relation": {"form": sku_key, "display": "code"},
        },
    ]


#: batch_no: warehouse, qty, cost, produced, sku code
BATCHES = {
    "B1": ("east", 10, "2.5", "2026-01-05", "S1"),
    "B2": ("east", 20, "1.25", "2026-01-11", "S2"),
    "B3": ("south", 5, "4", "2026-02-10", "S1"),
    "B4": ("south", None, "3.3333", "2025-12-31", None),
    "B5": (None, 7, None, None, "S3"),
}


@pytest.fixture(scope="module")
def shelf(app):
    """One tenant with SKUs S1 (dairy), S2 (snacks), S3 (no category) and the batches."""
    slug = f"fig-{uuid.uuid4().hex[:8]}"
    with app.app_context():
        create_tenant(db.session, slug, f"Tenant {slug}", "admin", ADMIN_PASSWORD)
        db.session.remove()
    tenant = TenantFixture(app, slug)
    skus = make_form(tenant, fields=SKU_FIELDS, key=f"sku{uuid.uuid4().hex[:6]}")
    sku_ids = {}
    for code, category in (("S1", "dairy"), ("S2", "snacks"), ("S3", None)):
        made = tenant.admin.post(records_url(skus), json={"code": code, "category": category})
        assert made.status_code == 201, made.json
        sku_ids[code] = made.json["id"]
    form = make_form(tenant, fields=batch_fields(skus["key"]))
    ids = {}
    for batch_no, (warehouse, qty, cost, produced, sku) in BATCHES.items():
        values = {"batch_no": batch_no, "warehouse": warehouse, "qty": qty, "cost": cost}
        values |= {"produced": produced, "sku": sku_ids.get(sku)}
        if batch_no == "B1":
            values["owner"] = tenant.admin_id
        made = tenant.admin.post(records_url(form), json=values)
        assert made.status_code == 201, made.json
        ids[batch_no] = made.json["id"]
    return {"tenant": tenant, "form": form, "skus": sku_ids, "ids": ids}


def figures(shelf, definition, filters=None, language="en"):
    response = shelf["tenant"].admin.post(
        "/api/v1/charts/preview",
        json={"form_id": shelf["form"]["id"], "definition": definition, "filters": filters or {}},
        headers={"Accept-Language": language},
    )
    assert response.status_code == 200, response.json
    return response.json


def by_label(result, dimension: str) -> dict:
    return {row[dimension]["label"]: row for row in result["rows"]}


ALL_MEASURES = [
    {"key": "batches", "agg": "count"},
    {"key": "qty", "agg": "sum", "field": "qty"},
    {"key": "avg_qty", "agg": "avg", "field": "qty"},
    {"key": "min_qty", "agg": "min", "field": "qty"},
    {"key": "max_qty", "agg": "max", "field": "qty"},
    {"key": "cost", "agg": "sum", "field": "cost"},
    {"key": "priced", "agg": "count", "field": "cost"},
    {"key": "skus", "agg": "count_distinct", "field": "sku"},
    {"key": "value", "agg": "sum", "expr": {"*": [{"var": "qty"}, {"var": "cost"}]}},
    {"key": "per_batch", "formula": {"/": [{"var": "qty"}, {"var": "batches"}]}},
    {"key": "per_priced", "formula": {"/": [{"var": "qty"}, {"var": "priced"}]}},
]


def test_every_measure_by_warehouse_with_the_empty_group(shelf):
    result = figures(
        shelf, {"type": "table", "dimensions": [{"field": "warehouse"}], "measures": ALL_MEASURES}
    )
    assert [d["key"] for d in result["dimensions"]] == ["warehouse"]
    assert result["measures"][0] == {"key": "batches", "label": "Count"}
    rows = by_label(result, "warehouse")
    assert list(rows) == ["East", "South", "(empty)"]  # empty groups come last
    east, south, empty = rows["East"], rows["South"], rows["(empty)"]
    assert east["warehouse"]["value"] == "east" and empty["warehouse"]["value"] is None
    expected = {
        "batches": (2, 2, 1),
        "qty": (30, 5, 7),
        "avg_qty": (15, 5, 7),  # B4's qty is empty: not averaged
        "min_qty": (10, 5, 7),
        "max_qty": (20, 5, 7),
        "cost": (3.75, 7.3333, None),  # money kept exact; an empty group's sum is null
        "priced": (2, 2, 0),
        "skus": (2, 1, 1),  # B4 points at no SKU
        "value": (50, 20, None),  # 10*2.5 + 20*1.25; 5*4 (+ null*3.3333 skipped)
        "per_batch": (15, 2.5, 7),
        "per_priced": (15, 2.5, None),  # division by zero gives null
    }
    for key, (in_east, in_south, in_empty) in expected.items():
        assert (east[key], south[key], empty[key]) == (in_east, in_south, in_empty), key
    assert result["totals"] == {
        "batches": 5,
        "qty": 42,
        "avg_qty": 10.5,
        "min_qty": 5,
        "max_qty": 20,
        "cost": 11.0833,
        "priced": 4,
        "skus": 3,
        "value": 70,
        "per_batch": 8.4,
        "per_priced": 10.5,
    }
    assert result["previous"] is None and result["cached"] is False


@pytest.mark.parametrize(
    "bucket, expected",
    [
        (
            "day",
            [
                ("2025-12-31", "2025-12-31", 1),
                ("2026-01-05", "2026-01-05", 1),
                ("2026-01-11", "2026-01-11", 1),
                ("2026-02-10", "2026-02-10", 1),
            ],
        ),
        (
            "week",  # from Monday; 2025-12-31 is in ISO week 1 of 2026
            [
                ("2025-12-29", "2026-W01", 1),
                ("2026-01-05", "2026-W02", 2),
                ("2026-02-09", "2026-W07", 1),
            ],
        ),
        (
            "month",
            [
                ("2025-12-01", "2025-12", 1),
                ("2026-01-01", "2026-01", 2),
                ("2026-02-01", "2026-02", 1),
            ],
        ),
        ("quarter", [("2025-10-01", "2025 Q4", 1), ("2026-01-01", "2026 Q1", 3)]),
        ("year", [("2025-01-01", "2025", 1), ("2026-01-01", "2026", 3)]),
    ],
)
def test_date_buckets(shelf, bucket, expected):
    definition = {
        "type": "line",
        "dimensions": [{"field": "produced", "bucket": bucket}],
        "measures": [{"key": "batches", "agg": "count"}],
    }
    result = figures(shelf, definition)
    key = f"produced:{bucket}"
    assert result["dimensions"] == [
        {"key": key, "label": f"Produced ({bucket})", "type": "date", "bucket": bucket}
    ]
    found = [(r[key]["value"], r[key]["label"], r["batches"]) for r in result["rows"]]
    assert found == [*expected, (None, "(empty)", 1)]


def test_a_relation_dimension_groups_by_the_related_records_field(shelf):
    definition = {
        "type": "pie",
        "dimensions": [{"field": "sku.category"}],
        "measures": [
            {"key": "batches", "agg": "count"},
            {"key": "qty", "agg": "sum", "field": "qty"},
        ],
    }
    result = figures(shelf, definition, language="zh")
    assert result["dimensions"][0]["label"] == "商品 · 品类"
    rows = by_label(result, "sku.category")
    # B4 points at no SKU and S3 has no category: both are the empty group
    assert {k: (r["batches"], r["qty"]) for k, r in rows.items()} == {
        "乳品": (2, 15),
        "零食": (1, 20),
        "(空)": (2, 7),
    }
    by_sku = figures(shelf, {**definition, "dimensions": [{"field": "sku"}]})
    assert {r["sku"]["label"]: r["batches"] for r in by_sku["rows"]} == {
        "S1": 2,
        "S2": 1,
        "S3": 1,
        "(empty)": 1,
    }


def test_people_are_shown_by_name(shelf):
    definition = {
        "type": "bar",
        "dimensions": [{"field": "owner"}],
        "measures": [{"key": "batches", "agg": "count"}],
    }
    rows = figures(shelf, definition)["rows"]
    assert [(r["owner"]["label"], r["batches"]) for r in rows] == [
        ("Administrator", 1),
        ("(empty)", 4),
    ]


def test_sort_and_top_n(shelf):
    definition = {
        "type": "bar",
        "dimensions": [{"field": "warehouse"}],
        "measures": [{"key": "qty", "agg": "sum", "field": "qty"}],
        "sort": [{"key": "qty", "desc": True}],
        "limit": 2,
    }
    result = figures(shelf, definition)
    assert [(r["warehouse"]["value"], r["qty"]) for r in result["rows"]] == [
        ("east", 30),
        (None, 7),
    ]
    assert result["totals"] == {"qty": 42}  # totals are over every record, not the top N
    ascending = {**definition, "sort": [{"key": "warehouse", "desc": True}], "limit": None}
    assert [r["warehouse"]["value"] for r in figures(shelf, ascending)["rows"]] == [
        "south",
        "east",
        None,
    ]


def test_the_previous_period_and_global_filters(shelf):
    definition = {
        "type": "kpi",
        "dimensions": [],
        "measures": [
            {"key": "batches", "agg": "count"},
            {"key": "cost", "agg": "sum", "field": "cost"},
        ],
        "date_field": "produced",
        "compare": "previous_period",
    }
    january = {"date_from": "2026-01-01", "date_to": "2026-01-31"}
    result = figures(shelf, definition, january)
    assert result["rows"] == [{"batches": 2, "cost": 3.75}]
    assert result["totals"] == {"batches": 2, "cost": 3.75}
    assert result["previous"] == {
        "totals": {"batches": 1, "cost": 3.3333},
        "date_from": "2025-12-01",
        "date_to": "2025-12-31",
    }
    # equals narrows every chart by the fields its form has; others are ignored
    narrowed = figures(
        shelf, definition, {**january, "equals": {"warehouse": "east", "category": "dairy"}}
    )
    assert narrowed["totals"]["batches"] == 2
    south = figures(shelf, definition, {"equals": {"warehouse": ["south", "east"]}})
    assert south["totals"]["batches"] == 4 and south["previous"] is None


def test_the_chart_as_a_workbook(shelf):
    admin = shelf["tenant"].admin
    chart = admin.post(
        "/api/v1/charts",
        json={
            "label": {"zh": "库存", "en": "Stock"},
            "form_id": shelf["form"]["id"],
            "definition": {
                "type": "bar",
                "dimensions": [{"field": "warehouse"}],
                "measures": [{"key": "qty", "agg": "sum", "field": "qty"}],
            },
        },
    )
    assert chart.status_code == 201, chart.json
    response = admin.get(
        f"/api/v1/charts/{chart.json['id']}/data.xlsx",
        headers={"Accept-Language": "zh"},
        query_string={"filters": '{"equals": {"warehouse": "east"}}'},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["仓库", "数量合计"],
        ["华东仓", 30],
        ["合计", 30],
    ]
    bad = admin.get(f"/api/v1/charts/{chart.json['id']}/data.xlsx?filters=nope")
    assert bad.status_code == 422 and "query.filters" in bad.json["errors"]
