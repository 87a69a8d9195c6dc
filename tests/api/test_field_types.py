"""Every field type accepts what it should and refuses the rest with the field's path."""

from __future__ import annotations

import pytest

from tests.forms_fixtures import make_form, records_url

OPTIONS = [{"value": "a", "label": {"zh": "甲", "en": "A"}}, {"value": "b"}]
CASES = [
    # type, extra metadata, valid input, stored/dumped value, invalid input
    ("text", {"validations": {"max_length": 5}}, " 临期品 ", "临期品", "toolong"),
    ("textarea", {}, "第一行\n第二行", "第一行\n第二行", 12),
    ("richtext", {}, "<p onclick='x()'>hi<script>alert(1)</script></p>", "<p>hi</p>", 5),
    ("integer", {"validations": {"min": 0}}, "12", 12, "1.5"),
    ("decimal", {"validations": {"scale": 2}}, "3.14", "3.14", "3.141"),
    ("money", {}, 19.99, "19.9900", "abc"),
    ("percent", {}, "35.5", "35.5000", "half"),
    ("date", {}, "2026-12-31", "2026-12-31", "2026-02-30"),
    ("datetime", {}, "2026-12-31T08:00:00+08:00", "2026-12-31T00:00:00+00:00", "yesterday"),
    ("time", {}, "08:30", "08:30", "25:99"),
    ("select", {"options": OPTIONS}, "甲", "a", "c"),
    ("radio", {"options": OPTIONS}, "b", "b", "z"),
    ("multiselect", {"options": OPTIONS}, ["a", "b"], ["a", "b"], ["a", "q"]),
    ("checkbox", {"options": OPTIONS}, "甲,b", ["a", "b"], 7),
    ("switch", {}, "是", True, "maybe"),
    ("phone", {}, "+86 138-0013-8000", "+86 138-0013-8000", "call me"),
    ("email", {}, "ops@example.com", "ops@example.com", "not-an-email"),
    (
        "location",
        {},
        "31.23,121.47,上海",
        {"lat": 31.23, "lng": 121.47, "address": "上海"},
        {"lat": 95, "lng": 0},
    ),
    ("rating", {"max": 5}, "★★★", 3, 6),
    ("user", {}, "admin", "ADMIN_ID", 999999),
    ("department", {}, "DEPT_ID", "DEPT_ID", "no such department"),
]


@pytest.mark.parametrize("kind, extra, good, stored, bad", CASES, ids=[c[0] for c in CASES])
def test_field_type_through_the_api(tenant, kind, extra, good, stored, bad):
    dept = tenant.admin.post("/api/v1/departments", json={"name": "华东仓"}).json["id"]
    names = {"ADMIN_ID": tenant.admin_id, "DEPT_ID": dept}
    good, stored = (names.get(v, v) if isinstance(v, str) else v for v in (good, stored))
    form = make_form(tenant, fields=[{"key": "v", "type": kind, "label": "V", **extra}])
    url = records_url(form)

    created = tenant.admin.post(url, json={"v": good})
    assert created.status_code == 201, created.json
    assert created.json["v"] == stored

    refused = tenant.admin.post(url, json={"v": bad})
    assert refused.status_code == 422, refused.json
    assert list(refused.json["errors"]) == ["v"]
    assert tenant.admin.get(url).json["total"] == 1

    cleared = tenant.admin.patch(
        f"{url}/{created.json['id']}", json={"row_version": 1, "values": {"v": None}}
    )
    assert cleared.status_code == 200 and cleared.json["v"] in (None, [])


def test_required_field_and_unknown_field(tenant):
    form = make_form(
        tenant, fields=[{"key": "name", "type": "text", "label": "Name", "required": True}]
    )
    response = tenant.admin.post(records_url(form), json={"nme": "typo"})
    assert response.status_code == 422
    assert response.json["errors"] == {
        "name": ["This field is required."],
        "nme": ["Unknown field."],
    }


def test_subtable_rows_round_trip_and_validate(tenant):
    form = make_form(tenant)
    url = records_url(form)
    lines = [{"sku": "SKU-1", "q": 2}, {"sku": "SKU-2", "q": "5"}]
    created = tenant.admin.post(url, json={"batch_no": "B1", "lines": lines})
    assert created.status_code == 201, created.json
    assert [(r["sku"], r["q"]) for r in created.json["lines"]] == [("SKU-1", 2), ("SKU-2", 5)]

    bad = tenant.admin.post(
        url,
        json={
            "batch_no": "B2",
            "lines": [{"sku": "ok", "q": 1}, {"q": "many"}, {"sku": "x" * 300, "colour": "red"}],
        },
    )
    assert bad.status_code == 422
    assert bad.json["errors"] == {
        "lines.1.sku": ["This field is required."],
        "lines.1.q": ["Must be a number."],
        "lines.2.sku": [bad.json["errors"]["lines.2.sku"][0]],
        "lines.2.colour": ["Unknown field."],
    }
    assert bad.json["errors"]["lines.2.sku"] == ["At most 255 characters."]

    updated = tenant.admin.patch(
        f"{url}/{created.json['id']}",
        json={"row_version": 1, "values": {"lines": [{"sku": "SKU-3", "q": 1}]}},
    )
    assert [r["sku"] for r in updated.json["lines"]] == ["SKU-3"]


def test_relation_to_a_missing_record_is_422(tenant):
    sku_form = make_form(
        tenant, key="sku", fields=[{"key": "name", "type": "text", "label": "Name"}]
    )
    sku = tenant.admin.post(records_url(sku_form), json={"name": "牛奶 1L"}).json
    batch = make_form(
        tenant,
        fields=[
            {
                "key": "sku",
                "type": "relation",
                "label": "SKU",
                "relation": {"form": "sku", "display": "name"},
            }
        ],
    )
    url = records_url(batch)
    assert tenant.admin.post(url, json={"sku": sku["id"]}).json["sku"] == sku["id"]
    assert tenant.admin.post(url, json={"sku": "牛奶 1L"}).json["sku"] == sku["id"]
    missing = tenant.admin.post(url, json={"sku": 999999})
    assert missing.status_code == 422 and "sku" in missing.json["errors"]
    unknown_name = tenant.admin.post(url, json={"sku": "豆浆"})
    assert unknown_name.status_code == 422 and "豆浆" in unknown_name.json["errors"]["sku"][0]


def test_autonumber_and_unique_fields(tenant):
    form = make_form(tenant)
    url = records_url(form)
    first = tenant.admin.post(url, json={"batch_no": "B1"}).json
    second = tenant.admin.post(url, json={"batch_no": "B2", "lot": "forged"}).json
    assert first["lot"].startswith("LOT-") and first["lot"].endswith("-0001")
    assert second["lot"].endswith("-0002")
    duplicate = tenant.admin.post(url, json={"batch_no": "B1"})
    assert duplicate.status_code == 409 and "batch_no" in duplicate.json["errors"]
