"""Every field type accepts what it should and refuses the rest with the field's path."""

from __future__ import annotations

import io
from decimal import Decimal

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


@pytest.mark.parametrize("scale", [7, 8])
def test_a_decimal_with_many_places_takes_zero_and_tiny_values(tenant, scale):
    """Seven or eight places print as 0E-8 in Python; the API still says 0.00000000."""
    form = make_form(
        tenant,
        fields=[
            {"key": "v", "type": "decimal", "label": "V", "validations": {"scale": scale}},
            {"key": "note", "type": "text", "label": "Note"},
        ],
    )
    url = records_url(form)
    zero, tiny = "0." + "0" * scale, "0." + "0" * (scale - 1) + "1"
    for given, shown in (("0", zero), (0, zero), ("-0", zero), (tiny, tiny), ("1E-7", None)):
        created = tenant.admin.post(url, json={"v": given})
        assert created.status_code == 201, (given, created.json)
        assert created.json["v"] == (shown or f"{Decimal('1E-7'):.{scale}f}")
    record = tenant.admin.post(url, json={"v": "0"}).json
    # The stored zero comes back from the database with the record on every later save.
    patched = tenant.admin.patch(
        f"{url}/{record['id']}", json={"row_version": 1, "values": {"note": "checked"}}
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["v"] == zero
    bulk = tenant.admin.post(f"{url}/bulk", json={"records": [{"v": "0"}, {"v": tiny}]})
    assert bulk.status_code == 201, bulk.json
    listed = tenant.admin.get(f"{url}?sort=id").json["items"]
    assert [r["v"] for r in listed[-2:]] == [zero, tiny]


@pytest.mark.parametrize("given", ["08:30+08:00", "08:30Z", "08:30:00-05:00"])
def test_a_time_with_a_utc_offset_is_refused_when_sent(tenant, given):
    form = make_form(tenant, fields=[{"key": "v", "type": "time", "label": "V"}])
    url = records_url(form)
    refused = tenant.admin.post(url, json={"v": given})
    assert refused.status_code == 422, refused.json
    assert list(refused.json["errors"]) == ["v"]
    assert "offset" in refused.json["errors"]["v"][0]
    bulk = tenant.admin.post(f"{url}/bulk", json={"records": [{"v": "09:00"}, {"v": given}]})
    assert bulk.status_code == 422 and list(bulk.json["errors"]) == ["1.v"]
    assert tenant.admin.post(url, json={"v": "8:05"}).json["v"] == "08:05"
    assert tenant.admin.get(url).json["total"] == 1


REFERENCES = [
    ("user", {}),
    ("department", {}),
    ("relation", {"relation": {"form": "skus", "display": "name"}}),
]


@pytest.mark.parametrize("kind, extra", REFERENCES, ids=[r[0] for r in REFERENCES])
@pytest.mark.parametrize("typed", ["²", "١٢", "12³", "99999999999999999999999"])
def test_a_reference_typed_with_odd_digits_is_a_422_on_its_path(tenant, kind, extra, typed):
    """Digits int() cannot read, or ids no table can hold, are names that match nothing."""
    make_form(tenant, key="skus", fields=[{"key": "name", "type": "text", "label": "Name"}])
    form = make_form(
        tenant,
        fields=[
            {"key": "v", "type": kind, "label": "V", **extra},
            {
                "key": "lines",
                "type": "subtable",
                "label": "Lines",
                "fields": [{"key": "r", "type": kind, "label": "R", **extra}],
            },
        ],
    )
    url = records_url(form)
    refused = tenant.admin.post(url, json={"v": typed})
    assert refused.status_code == 422, refused.json
    assert list(refused.json["errors"]) == ["v"]
    in_line = tenant.admin.post(url, json={"lines": [{"r": typed}]})
    assert in_line.status_code == 422, in_line.json
    assert list(in_line.json["errors"]) == ["lines.0.r"]
    bulk = tenant.admin.post(f"{url}/bulk", json={"records": [{}, {"v": typed}]})
    assert bulk.status_code == 422 and list(bulk.json["errors"]) == ["1.v"]
    content = f"V\n{typed}\n".encode()
    job = tenant.admin.post(
        f"/api/v1/forms/{form['id']}/imports",
        data={"file": (io.BytesIO(content), "refs.csv")},
        content_type="multipart/form-data",
    ).json
    assert (job["inserted"], job["error_count"]) == (0, 1), job
    assert [(e["row"], e["field"]) for e in job["errors"]] == [(2, "v")]


HUGE = [
    ("decimal", "1e30"),
    ("decimal", "123456789012345678901234567890.5"),
    ("money", 1e300),
    ("percent", "9" * 50),
    ("integer", "1e100000000"),
    ("integer", "-1e999999"),
]


@pytest.mark.parametrize("kind, given", HUGE, ids=[f"{k}-{str(g)[:12]}" for k, g in HUGE])
def test_a_number_too_large_for_its_field_is_a_422(tenant, kind, given):
    form = make_form(tenant, fields=[{"key": "v", "type": kind, "label": "V"}])
    url = records_url(form)
    refused = tenant.admin.post(url, json={"v": given})
    assert refused.status_code == 422, refused.json
    assert refused.json["errors"] == {"v": ["The number is too large."]}
    bulk = tenant.admin.post(f"{url}/bulk", json={"records": [{"v": 1}, {"v": given}]})
    assert bulk.status_code == 422 and bulk.json["errors"] == {"1.v": ["The number is too large."]}
