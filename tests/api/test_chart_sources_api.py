"""What the chart builder is offered besides a form's records (the alerts on them, with the
fields they add, which charts over them accept), and a dashboard's warehouse filter on a
form whose warehouse is a relation: the picked warehouse record's id narrows its charts."""

from __future__ import annotations

import pytest

from tests.forms_fixtures import make_form, records_url
from tests.rules_fixtures import setup_rule

COUNT = {"key": "alerts", "agg": "count"}


def _sources(client, form) -> list[dict]:
    response = client.get(f"/api/v1/charts/sources?form_id={form['id']}")
    assert response.status_code == 200, response.json
    return response.json["items"]


def _alert_fields(client, form) -> dict[str, dict]:
    (alerts,) = [s for s in _sources(client, form) if s["key"] == "alerts"]
    return {field["key"]: field for field in alerts["fields"]}


def test_the_builder_is_offered_the_alert_facts_with_the_rules_watching_the_form(tenant):
    form, rule = setup_rule(tenant)
    (alerts,) = _sources(tenant.admin, form)
    assert alerts["key"] == "alerts" and alerts["rules"] == 1
    fields = {field["key"]: field for field in alerts["fields"]}
    assert fields["alert_level"]["type"] == "select"
    assert fields["alert_level"]["label"] == {"zh": "预警等级", "en": "Alert level"}
    assert [o["value"] for o in fields["alert_level"]["options"]] == ["yellow", "red", "expired"]
    assert fields["alert_rule"]["options"] == [{"value": rule["key"], "label": {"zh": "临期预警"}}]
    assert fields["alert_raised_at"]["type"] == "datetime"
    assert fields["alert_hours"]["type"] == "decimal"
    assert fields["alert_handled"]["type"] == "switch"


def test_a_form_no_rule_watches_has_the_alert_facts_but_no_rule_to_offer(tenant):
    form = make_form(tenant)
    (alerts,) = _sources(tenant.admin, form)
    assert alerts["rules"] == 0
    assert {f["key"]: f for f in alerts["fields"]}["alert_rule"]["options"] == []


def test_only_designers_are_offered_sources_of_forms_that_exist(tenant):
    form = make_form(tenant)
    role = tenant.admin.post(
        "/api/v1/roles",
        json={"name": "viewers", "code": "viewers", "permissions": ["dashboards.view"]},
    ).json
    viewer = tenant.user_client("viewer", role_ids=[role["id"]])
    assert viewer.get(f"/api/v1/charts/sources?form_id={form['id']}").status_code == 403
    assert tenant.admin.get("/api/v1/charts/sources?form_id=999999").status_code == 404
    assert tenant.admin.get("/api/v1/charts/sources").status_code == 422


@pytest.fixture
def watched(tenant):
    """A form with a rule watching it, and the alert facts the builder is offered for it."""
    form, _ = setup_rule(tenant)
    return form, _alert_fields(tenant.admin, form)


@pytest.mark.parametrize("role", ["dimension", "measure", "date_field"])
def test_every_alert_fact_offered_is_accepted_where_the_builder_puts_it(tenant, watched, role):
    form, fields = watched
    for key, field in fields.items():
        dated = field["type"] == "datetime"
        definition = {"source": "alerts", "type": "bar", "measures": [COUNT]}
        if role == "dimension":
            dimension = {"field": key, "bucket": "month"} if dated else {"field": key}
            definition["dimensions"] = [dimension]
        elif role == "measure":
            agg = "sum" if field["type"] == "decimal" else "count_distinct"
            definition["measures"] = [COUNT, {"key": "m", "agg": agg, "field": key}]
        elif dated:
            definition["date_field"] = key
        else:
            continue
        response = tenant.admin.post(
            "/api/v1/charts/preview", json={"form_id": form["id"], "definition": definition}
        )
        assert response.status_code == 200, (key, response.json)


WAREHOUSE_FIELDS = [{"key": "name", "type": "text", "label": {"zh": "名称", "en": "Name"}}]


def _batch_fields(warehouse_form: str) -> list[dict]:
    return [
        {"key": "batch_no", "type": "text", "label": {"zh": "批次号", "en": "Batch"}},
        {
            "key": "warehouse",
            "type": "relation",
            "label": {"zh": "仓库", "en": "Warehouse"},
            "relation": {"form": warehouse_form, "display": "name"},
        },
    ]


def test_a_relation_warehouse_filter_keeps_the_rows_of_the_picked_warehouse(tenant):
    warehouses = make_form(tenant, fields=WAREHOUSE_FIELDS, key="warehouse_a")
    ids = {}
    for name in ("East", "South"):
        made = tenant.admin.post(records_url(warehouses), json={"name": name})
        ids[name] = made.json["id"]
    batches = make_form(tenant, fields=_batch_fields(warehouses["key"]), key="batch_a")
    for batch_no, warehouse in (("B1", "East"), ("B2", "East"), ("B3", "South")):
        made = tenant.admin.post(
            records_url(batches), json={"batch_no": batch_no, "warehouse": ids[warehouse]}
        )
        assert made.status_code == 201, made.json
    definition = {
        "type": "table",
        "dimensions": [{"field": "batch_no"}],
        "measures": [{"key": "batches", "agg": "count"}],
    }
    chart = tenant.admin.post(
        "/api/v1/charts",
        json={"label": {"zh": "批次"}, "form_id": batches["id"], "definition": definition},
    ).json
    dashboard = tenant.admin.post(
        "/api/v1/dashboards",
        json={
            "label": {"zh": "仓库看板"},
            "app_id": chart["app_id"],
            "layout": [{"chart_id": chart["id"], "x": 0, "y": 0, "w": 6, "h": 4}],
            "filters": {"equals": {"warehouse": ids["East"]}},
        },
    )
    assert dashboard.status_code == 201, dashboard.json
    kept = tenant.admin.get(f"/api/v1/dashboards/{dashboard.json['id']}").json["filters"]
    assert kept["equals"] == {"warehouse": ids["East"]}

    data = tenant.admin.post(f"/api/v1/charts/{chart['id']}/data", json={"filters": kept})
    assert data.status_code == 200, data.json
    assert sorted(row["batch_no"]["value"] for row in data.json["rows"]) == ["B1", "B2"]
    as_text = {"equals": {"warehouse": str(ids["East"])}}
    refused = tenant.admin.post(f"/api/v1/charts/{chart['id']}/data", json={"filters": as_text})
    assert refused.status_code == 422
    assert "filters.equals.warehouse" in refused.json["errors"]
