"""A form may say which field decides the department a record belongs to, and that everyone
reads it (reference data); people whose data scope is their department see what follows."""

from __future__ import annotations

import itertools

import pytest

from tests.forms_fixtures import form_with, published_form, records_url

_n = itertools.count()


def _name(key: str) -> dict:
    return {"key": key, "type": "text", "label": key, "unique": True}


@pytest.fixture
def region(tenant):
    """Two regions, a shared product form, warehouses filed under a region, and lots
    belonging where their warehouse does; an east clerk who sees his department."""
    n = next(_n)
    east = tenant.admin.post("/api/v1/departments", json={"name": f"East {n}"}).json
    south = tenant.admin.post("/api/v1/departments", json={"name": f"South {n}"}).json
    role = tenant.admin.post(
        "/api/v1/roles",
        json={
            "name": "clerk",
            "code": f"clerk{n}",
            "permissions": ["records.read", "records.write"],
            "data_scope": "department",
        },
    ).json
    product = published_form(
        tenant, f"product{n}", {"title_field": "name", "shared": True, "fields": [_name("name")]}
    )
    house = published_form(
        tenant,
        f"house{n}",
        {
            "title_field": "name",
            "department_field": "department",
            "fields": [_name("name"), {"key": "department", "type": "department", "label": "部门"}],
        },
    )
    lot = published_form(
        tenant,
        f"lot{n}",
        {
            "title_field": "lot_no",
            "department_field": "house",
            "fields": [
                _name("lot_no"),
                {
                    "key": "house",
                    "type": "relation",
                    "label": "仓库",
                    "relation": {"form": house["key"], "display": "name"},
                },
                {
                    "key": "product",
                    "type": "relation",
                    "label": "商品",
                    "relation": {"form": product["key"], "display": "name"},
                },
            ],
        },
    )
    tenant.admin.post(records_url(product), json={"name": "Milk"})
    for name, dept in (("W-East", east), ("W-South", south)):
        assert (
            tenant.admin.post(
                records_url(house), json={"name": name, "department": dept["name"]}
            ).status_code
            == 201
        )
    bulk = tenant.admin.post(
        f"{records_url(lot)}/bulk",
        json={
            "records": [{"lot_no": "E1", "house": "W-East"}, {"lot_no": "S1", "house": "W-South"}]
        },
    )
    assert bulk.status_code == 201, bulk.json
    clerk = tenant.user_client(f"clerk{n}", department_id=east["id"], role_ids=[role["id"]])
    return {"product": product, "house": house, "lot": lot, "clerk": clerk, "south": south}


def _titles(client, form, field: str) -> list[str]:
    return [r[field] for r in client.get(records_url(form)).json["items"]]


def test_records_belong_to_the_department_their_field_names(region):
    clerk = region["clerk"]
    assert _titles(clerk, region["house"], "name") == ["W-East"]
    assert _titles(clerk, region["lot"], "lot_no") == ["E1"]
    made = clerk.post(records_url(region["lot"]), json={"lot_no": "E2", "house": "W-East"})
    assert made.status_code == 201, made.json
    south_house = clerk.post(records_url(region["lot"]), json={"lot_no": "S2", "house": "W-South"})
    assert south_house.status_code == 422 and "house" in south_house.json["errors"]


def test_a_record_moves_with_the_field_that_decides_its_department(tenant, region):
    url = records_url(region["lot"])
    lot = next(r for r in tenant.admin.get(url).json["items"] if r["lot_no"] == "E1")
    south = next(
        r
        for r in tenant.admin.get(records_url(region["house"])).json["items"]
        if r["name"] == "W-South"
    )
    moved = tenant.admin.patch(
        f"{url}/{lot['id']}", json={"row_version": 1, "values": {"house": south["id"]}}
    )
    assert moved.status_code == 200 and moved.json["_owner_department_id"] == region["south"]["id"]
    assert _titles(region["clerk"], region["lot"], "lot_no") == []


def test_nobody_files_a_record_under_a_department_outside_their_scope(region):
    refused = region["clerk"].post(
        records_url(region["house"]), json={"name": "W-X", "department": region["south"]["id"]}
    )
    assert refused.status_code == 422
    assert refused.json["errors"] == {
        "department": ["This belongs to a department outside your data scope."]
    }


def test_everyone_reads_a_shared_form_and_changes_only_their_own_records(region):
    clerk, url = region["clerk"], records_url(region["product"])
    milk = clerk.get(url).json["items"]
    assert [p["name"] for p in milk] == ["Milk"]  # the administrator's, read by the clerk
    assert (
        clerk.post(
            records_url(region["lot"]), json={"lot_no": "E3", "house": "W-East", "product": "Milk"}
        ).status_code
        == 201
    )
    edit = clerk.patch(f"{url}/{milk[0]['id']}", json={"row_version": 1, "values": {"name": "X"}})
    assert edit.status_code == 404
    own = clerk.post(url, json={"name": "Bread"}).json
    changed = clerk.patch(f"{url}/{own['id']}", json={"row_version": 1, "values": {"name": "Rye"}})
    assert changed.status_code == 200


def test_the_setting_must_name_a_department_or_relation_field(tenant):
    meta = {"department_field": "name", "fields": [_name("name")]}
    _, refused = form_with(tenant, "bad", meta)
    assert refused.status_code == 422
    assert refused.json["errors"] == {
        "department_field": ["'name' is not a department or relation field."]
    }
