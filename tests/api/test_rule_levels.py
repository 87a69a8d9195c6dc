"""Classification: level boundaries, odd data, and overrides in order."""

from __future__ import annotations

import pytest

from tests.rules_fixtures import add_batch, levels_of, setup_rule


def test_boundaries_expired_and_odd_data(tenant):
    form, rule = setup_rule(tenant)
    cases = {"d61": 61, "d60": 60, "d45": 45, "d30": 30, "d29": 29, "d1": 1, "d0": 0, "past": -5}
    for name, days in cases.items():
        add_batch(tenant, form, name, days)
    add_batch(tenant, form, "no-date", None)
    add_batch(tenant, form, "zero-shelf", 0, shelf_days=0)
    add_batch(tenant, form, "empty", 10, qty=0)
    run = tenant.admin.post(f"/api/v1/rules/{rule['id']}/run")
    assert run.status_code == 200, run.json
    assert levels_of(tenant, rule) == {
        "d60": "yellow",
        "d45": "yellow",
        "d30": "yellow",
        "d29": "red",
        "d1": "red",
        "d0": "expired",
        "past": "expired",
        "zero-shelf": "expired",
    }


def test_overrides_apply_most_specific_first(tenant):
    overrides = [
        {
            "name": "南仓",
            "when": {"==": [{"var": "warehouse"}, "south"]},
            "levels": {"red": 10, "yellow": 20},
        },
        {
            "name": "乳品",
            "when": {"==": [{"var": "category"}, "dairy"]},
            "levels": {"red": 50, "yellow": 80},
        },
    ]
    form, rule = setup_rule(tenant, {"overrides": overrides})
    add_batch(tenant, form, "dairy-east-40", 40)  # dairy: red below 50
    add_batch(tenant, form, "dairy-south-40", 40, warehouse="south")  # warehouse first: green
    add_batch(tenant, form, "dairy-south-15", 15, warehouse="south")  # south: yellow
    add_batch(tenant, form, "snacks-east-40", 40, category="snacks")  # default: yellow
    tenant.admin.post(f"/api/v1/rules/{rule['id']}/run")
    assert levels_of(tenant, rule) == {
        "dairy-east-40": "red",
        "dairy-south-15": "yellow",
        "snacks-east-40": "yellow",
    }


def test_remaining_days_metric_and_expiry_field(tenant):
    from tests.forms_fixtures import make_form, records_url
    from tests.rules_fixtures import tenant_today

    form = make_form(
        tenant,
        fields=[
            {"key": "batch_no", "type": "text", "label": "批次"},
            {"key": "expiry", "type": "date", "label": "到期日"},
        ],
    )
    definition = {
        "form": form["key"],
        "expiry": {"field": "expiry"},
        "metric": "remaining_days",
        "levels": {"red": 7, "yellow": 30},
        "title_field": "batch_no",
    }
    rule = tenant.admin.post(
        "/api/v1/rules", json={"key": "days", "label": {"zh": "天数"}, "draft": definition}
    ).json
    assert tenant.admin.post(f"/api/v1/rules/{rule['id']}/publish").status_code == 201
    from datetime import timedelta

    for name, days in {"d6": 6, "d7": 7, "d30": 30, "d31": 31}.items():
        expiry = (tenant_today() + timedelta(days=days)).isoformat()
        tenant.admin.post(records_url(form), json={"batch_no": name, "expiry": expiry})
    tenant.admin.post(f"/api/v1/rules/{rule['id']}/run")
    assert levels_of(tenant, rule) == {"d6": "red", "d7": "yellow", "d30": "yellow"}


@pytest.mark.parametrize(
    "draft, path",
    [
        ({"form": "nope", "expiry": {"field": "x"}}, "form"),
        ({"expiry": {"field": "produced"}}, "form"),
        ({"form": "{form}", "expiry": {"field": "qty"}}, "expiry.field"),
        ({"form": "{form}", "expiry": {"production_field": "produced"}}, "expiry"),
        (
            {
                "form": "{form}",
                "expiry": {"production_field": "produced", "shelf_life_field": "shelf_days"},
                "scope": {"==": [{"var": "colour"}, "red"]},
            },
            "scope",
        ),
        (
            {
                "form": "{form}",
                "expiry": {"production_field": "produced", "shelf_life_field": "shelf_days"},
                "levels": {"red": "low", "yellow": 60},
            },
            "levels.red",
        ),
    ],
)
def test_bad_rules_are_refused_with_a_path(tenant, draft, path):
    form, rule = setup_rule(tenant, publish=False)
    if draft.get("form") == "{form}":
        draft["form"] = form["key"]
    tenant.admin.patch(f"/api/v1/rules/{rule['id']}", json={"draft": draft})
    response = tenant.admin.post(f"/api/v1/rules/{rule['id']}/publish")
    assert response.status_code == 422, response.json
    assert path in response.json["errors"], response.json


def test_bad_schedule_is_refused(tenant):
    _, rule = setup_rule(tenant, publish=False)
    response = tenant.admin.patch(f"/api/v1/rules/{rule['id']}", json={"schedule": "every day"})
    assert response.status_code == 422 and "schedule" in response.json["errors"]
