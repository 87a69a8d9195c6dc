"""Listing records with the expression language, linkage enforced by the server, packages."""

from __future__ import annotations

import json

import pytest

from tests.forms_fixtures import make_form, records_url

LINKED = [
    {
        "key": "method",
        "type": "select",
        "label": "处置方式",
        "options": [{"value": "donation"}, {"value": "scrap"}, {"value": "promotion"}],
    },
    {"key": "qty", "type": "integer", "label": "数量"},
    {"key": "price", "type": "money", "label": "单价"},
    {
        "key": "total",
        "type": "formula",
        "label": "金额",
        "formula": {"*": [{"var": "qty"}, {"var": "price"}]},
        "result_type": "decimal",
    },
    {
        "key": "recipient",
        "type": "text",
        "label": "受赠方",
        "visible_if": {"==": [{"var": "method"}, "donation"]},
        "required_if": {"==": [{"var": "method"}, "donation"]},
    },
]


def test_linkage_is_enforced_by_the_server(tenant):
    form = make_form(tenant, fields=LINKED)
    url = records_url(form)
    missing = tenant.admin.post(url, json={"method": "donation", "qty": 2})
    assert missing.status_code == 422 and missing.json["errors"] == {
        "recipient": ["This field is required."]
    }
    hidden = tenant.admin.post(
        url, json={"method": "scrap", "qty": 2, "price": "1.5", "recipient": "nobody"}
    )
    assert hidden.status_code == 201
    assert hidden.json["recipient"] is None and hidden.json["total"] == "3.000000"
    forged = tenant.admin.post(url, json={"method": "scrap", "qty": 1, "total": "999"})
    assert forged.json["total"] is None  # computed, never taken from input (no price)
    changed = tenant.admin.patch(
        f"{url}/{hidden.json['id']}", json={"row_version": 1, "values": {"qty": 4}}
    )
    assert changed.json["total"] == "6.000000"


def test_bad_linkage_expressions_are_refused_at_publish(tenant):
    bad = [
        *LINKED[:2],
        {
            "key": "note",
            "type": "text",
            "label": "n",
            "visible_if": {"==": [{"var": "colour"}, "red"]},
        },
        {"key": "n2", "type": "text", "label": "n2", "required_if": {"+": [1, 2]}},
        {
            "key": "n3",
            "type": "text",
            "label": "n3",
            # the browser and the server see no alerts: the level would always be green
            "visible_if": {"==": [{"alert_level": "expiry"}, "red"]},
        },
    ]
    form = make_form(tenant, fields=bad, publish=False)
    response = tenant.admin.post(f"/api/v1/forms/{form['id']}/publish")
    assert response.status_code == 422
    errors = response.json["errors"]
    assert any(k.startswith("fields.2.visible_if") for k in errors)
    assert any(k.startswith("fields.3.required_if") for k in errors)
    assert "form linkage" in errors["fields.4.visible_if.==.0.alert_level"][0]


def _seed(tenant):
    form = make_form(tenant)
    url = records_url(form)
    for i, (warehouse, qty, expiry) in enumerate(
        [
            ("east", 5, "2026-12-01"),
            ("south", 50, "2027-01-01"),
            ("east", 500, "2026-11-30"),
            ("south", 0, None),
            ("east", 42, "2027-03-01"),
        ]
    ):
        body = {"batch_no": f"批次-{i}", "warehouse": warehouse, "qty": qty, "expiry": expiry}
        assert tenant.admin.post(url, json=body).status_code == 201
    return url


@pytest.mark.parametrize(
    "condition, expected",
    [
        ({"==": [{"var": "warehouse"}, "east"]}, ["批次-0", "批次-2", "批次-4"]),
        (
            {"and": [{">": [{"var": "qty"}, 10]}, {"<": [{"var": "expiry"}, "2027-01-31"]}]},
            ["批次-1", "批次-2"],
        ),
        ({"between": [{"var": "qty"}, 5, 50]}, ["批次-0", "批次-1", "批次-4"]),
        ({"missing": ["expiry"]}, ["批次-3"]),
        ({"starts_with": [{"var": "batch_no"}, "批次-4"]}, ["批次-4"]),
        ({"in": [{"var": "qty"}, [0, 500]]}, ["批次-2", "批次-3"]),
    ],
)
def test_filters_in_the_expression_language(tenant, condition, expected):
    url = _seed(tenant)
    response = tenant.admin.get(f"{url}?sort=batch_no&filter={json.dumps(condition)}")
    assert response.status_code == 200, response.json
    assert [r["batch_no"] for r in response.json["items"]] == expected


@pytest.mark.parametrize(
    "query, field",
    [
        ("filter=not json", "filter"),
        ('filter={"explode": [1]}', "_body"),
        ('filter={"==": [{"var": "nope"}, 1]}', None),
        ('filter={"<": [{"var": "expiry"}, 5]}', None),
        ("sort=colour", "sort"),
        ("fields=batch_no,colour", "fields"),
    ],
)
def test_bad_queries_are_422(tenant, query, field):
    url = _seed(tenant)
    response = tenant.admin.get(f"{url}?{query}")
    assert response.status_code == 422, response.json
    if field:
        assert any(field in k for k in response.json["errors"]) or field == "_body"


@pytest.mark.parametrize("days", [-400, -1, 0, 5, 36, 400, 10**9])
def test_days_until_filters_select_what_the_date_range_selects(tenant, days):
    """``days_until(expiry) < N`` is run as a range of expiry: same rows, either way."""
    url = _seed(tenant)
    until = {"days_until": [{"var": "expiry"}]}
    shifted = {"add_days": [{"today": []}, days]}

    def names(condition) -> list[str]:
        response = tenant.admin.get(f"{url}?sort=batch_no&filter={json.dumps(condition)}")
        assert response.status_code == 200, response.json
        return [r["batch_no"] for r in response.json["items"]]

    everything = [r["batch_no"] for r in tenant.admin.get(f"{url}?sort=batch_no").json["items"]]
    for op, mirrored in (("<", ">"), ("<=", ">="), (">", "<"), (">=", "<=")):
        by_days = names({op: [until, days]})
        assert by_days == names({mirrored: [days, until]})
        assert by_days == names({op: [{"var": "expiry"}, shifted]}) or days == 10**9
        negated = names({"!": {op: [until, days]}})
        assert sorted(by_days + negated) == everything


def test_a_long_list_counts_its_total_up_to_where_the_pages_end(tenant):
    """Totals above 1,000 may be estimated; the page that shows the end makes them exact."""
    form = make_form(tenant, fields=[{"key": "n", "type": "integer", "label": "N"}])
    url = records_url(form)
    created = tenant.admin.post(f"{url}/bulk", json={"records": [{"n": i} for i in range(2100)]})
    assert created.status_code == 201, created.json
    first = tenant.admin.get(f"{url}?page_size=40").json
    assert first["total"] == 2100 if first["total_exact"] else first["total"] > 1000
    last = tenant.admin.get(f"{url}?page_size=40&page=53").json
    assert (last["total"], last["total_exact"], len(last["items"])) == (2100, True, 20)
    few = tenant.admin.get(
        f"{url}?page_size=40&page=2&filter={json.dumps({'<': [{'var': 'n'}, 900]})}"
    )
    assert (few.json["total"], few.json["total_exact"]) == (900, True)


def test_sort_page_and_field_selection(tenant):
    url = _seed(tenant)
    page = tenant.admin.get(f"{url}?sort=-qty&page=2&page_size=2&fields=batch_no,qty").json
    assert page["total"] == 5 and page["total_exact"] is True
    assert [(r["batch_no"], r["qty"]) for r in page["items"]] == [("批次-4", 42), ("批次-0", 5)]
    assert "warehouse" not in page["items"][0]


def test_app_package_round_trip_through_the_api(make_tenant):
    source, target = make_tenant(), make_tenant()
    form = make_form(source, fields=LINKED)
    package = source.admin.get(f"/api/v1/apps/{form['app_id']}/export").json
    assert package["format"] == "greenshelf.app/1"
    installed = target.admin.post("/api/v1/apps/import", json=package)
    assert installed.status_code == 201, installed.json
    again = target.admin.post("/api/v1/apps/import", json=package)
    assert again.status_code == 409
    wrong = target.admin.post("/api/v1/apps/import", json={**package, "format": "zip"})
    assert wrong.status_code == 422
