"""What a record list shows: names for the ids it holds, the form's default columns,
columns computed as it is read, and fields a new record takes from a related one."""

from __future__ import annotations

import itertools
from datetime import timedelta

from tests.forms_fixtures import form_with, published_form, records_url
from tests.rules_fixtures import tenant_today

_n = itertools.count()


def _forms(tenant) -> tuple[dict, dict]:
    n = next(_n)
    product = published_form(
        tenant,
        f"product{n}",
        {
            "title_field": "name",
            "fields": [
                {"key": "name", "type": "text", "label": "名称"},
                {"key": "shelf_days", "type": "integer", "label": "保质期"},
            ],
        },
    )
    lot = published_form(
        tenant,
        f"lot{n}",
        {
            "title_field": "lot_no",
            "list": {
                "columns": ["product", "lot_no", "days_left", "expiry"],
                "computed": [
                    {
                        "key": "days_left",
                        "label": {"zh": "剩余天数", "en": "Days left"},
                        "expression": {"days_until": [{"var": "expiry"}]},
                    }
                ],
            },
            "fields": [
                {"key": "lot_no", "type": "text", "label": "批次"},
                {
                    "key": "product",
                    "type": "relation",
                    "label": "商品",
                    "relation": {"form": product["key"], "display": "name"},
                },
                {"key": "produced", "type": "date", "label": "生产日期"},
                {
                    "key": "shelf_days",
                    "type": "integer",
                    "label": "保质期",
                    "required": True,
                    "default_from": {"relation": "product", "field": "shelf_days"},
                },
                {
                    "key": "expiry",
                    "type": "formula",
                    "label": "到期日",
                    "result_type": "date",
                    "formula": {"add_days": [{"var": "produced"}, {"var": "shelf_days"}]},
                },
                {"key": "owner", "type": "user", "label": "负责人"},
            ],
        },
    )
    return product, lot


def test_a_list_names_the_records_and_people_its_rows_point_at(tenant):
    product, lot = _forms(tenant)
    milk = tenant.admin.post(records_url(product), json={"name": "Milk", "shelf_days": 10}).json
    tenant.admin.post(records_url(lot), json={"lot_no": "L1", "product": "Milk", "owner": "admin"})
    page = tenant.admin.get(records_url(lot)).json
    assert page["titles"]["product"] == {str(milk["id"]): "Milk"}
    assert page["titles"]["owner"] == {str(tenant.admin_id): "Administrator"}


def test_computed_columns_are_read_fresh_and_filter_and_sort_like_fields(tenant):
    product, lot = _forms(tenant)
    tenant.admin.post(records_url(product), json={"name": "Milk", "shelf_days": 10})
    for lot_no, age in (("OLD", 9), ("NEW", 1)):
        produced = (tenant_today() - timedelta(days=age)).isoformat()
        made = tenant.admin.post(
            records_url(lot), json={"lot_no": lot_no, "product": "Milk", "produced": produced}
        )
        assert made.status_code == 201, made.json
    page = tenant.admin.get(records_url(lot), query_string={"sort": "-days_left"}).json
    assert [(r["lot_no"], r["days_left"]) for r in page["items"]] == [("NEW", 9), ("OLD", 1)]
    assert page["list"]["columns"] == ["product", "lot_no", "days_left", "expiry"]
    [column] = page["list"]["computed"]
    assert column["key"] == "days_left" and column["type"] == "integer" and column["computed"]
    soon = tenant.admin.get(
        records_url(lot), query_string={"filter": '{"<=": [{"var": "days_left"}, 3]}'}
    ).json
    assert [r["lot_no"] for r in soon["items"]] == ["OLD"]
    chosen = tenant.admin.get(records_url(lot), query_string={"fields": "lot_no,days_left"}).json
    assert (
        set(chosen["items"][0]) >= {"lot_no", "days_left"} and "produced" not in chosen["items"][0]
    )
    exported = tenant.admin.get(
        f"/api/v1/forms/{lot['id']}/export",
        query_string={"format": "csv", "fields": "lot_no,days_left", "sort": "days_left"},
    )
    assert exported.status_code == 200 and exported.data.decode("utf-8-sig").count("\n") >= 3


def test_a_new_record_takes_an_empty_field_from_its_related_record(tenant):
    product, lot = _forms(tenant)
    tenant.admin.post(records_url(product), json={"name": "Milk", "shelf_days": 10})
    produced = tenant_today().isoformat()
    taken = tenant.admin.post(
        records_url(lot), json={"lot_no": "L1", "product": "Milk", "produced": produced}
    ).json
    assert taken["shelf_days"] == 10
    assert taken["expiry"] == (tenant_today() + timedelta(days=10)).isoformat()
    typed = tenant.admin.post(
        records_url(lot), json={"lot_no": "L2", "product": "Milk", "shelf_days": 4}
    ).json
    assert typed["shelf_days"] == 4
    bulk = tenant.admin.post(
        f"{records_url(lot)}/bulk", json={"records": [{"lot_no": "L3", "product": "Milk"}]}
    )
    assert bulk.status_code == 201, bulk.json
    [bulk_lot] = tenant.admin.get(
        records_url(lot), query_string={"filter": '{"==": [{"var": "lot_no"}, "L3"]}'}
    ).json["items"]
    assert bulk_lot["shelf_days"] == 10
    missing = tenant.admin.post(records_url(lot), json={"lot_no": "L4"})
    assert missing.status_code == 422 and missing.json["errors"] == {
        "shelf_days": ["This field is required."]
    }


def test_list_and_copy_settings_that_name_nothing_are_refused(tenant):
    product, _ = _forms(tenant)
    meta = {
        "list": {
            "columns": ["nope"],
            "computed": [{"key": "x", "label": "X", "expression": {"var": "gone"}}],
        },
        "fields": [
            {"key": "name", "type": "text", "label": "名称"},
            {
                "key": "p",
                "type": "relation",
                "label": "P",
                "relation": {"form": product["key"], "display": "name"},
            },
            {
                "key": "days",
                "type": "integer",
                "label": "D",
                "default_from": {"relation": "name", "field": "shelf_days"},
            },
        ],
    }
    _, refused = form_with(tenant, f"bad{next(_n)}", meta)
    assert refused.status_code == 422
    assert set(refused.json["errors"]) == {
        "fields.2.default_from.relation",
        "list.computed.0.expression",
        "list.columns.0",
    }
    meta["list"] = {"columns": ["name"]}
    meta["fields"][2]["default_from"] = {"relation": "p", "field": "name"}
    _, wrong = form_with(tenant, f"bad{next(_n)}", meta)
    assert wrong.status_code == 422
    assert wrong.json["errors"] == {
        "fields.2.default_from.field": [f"'name' of form '{product['key']}' is a text field."]
    }
