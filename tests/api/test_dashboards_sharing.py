"""Designing charts and dashboards: a definition is checked against its form (422 naming
the path), a dashboard is shared with viewer and editor roles (404 for others, 403 for a
viewer's change), and a chart a dashboard shows cannot be deleted (409 naming it)."""

from __future__ import annotations

import pytest

from tests.forms_fixtures import make_form
from tests.rules_fixtures import setup_rule

COUNT = {"key": "batches", "agg": "count"}


def _role(tenant, code, permissions):
    response = tenant.admin.post(
        "/api/v1/roles", json={"name": code, "code": code, "permissions": permissions}
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def _chart(client, form, definition=None):
    definition = definition or {"type": "kpi", "measures": [COUNT]}
    return client.post(
        "/api/v1/charts",
        json={"label": {"zh": "批次数"}, "form_id": form["id"], "definition": definition},
    )


def _dashboard(client, app_id, chart_id, **extra):
    layout = [{"chart_id": chart_id, "x": 0, "y": 0, "w": 6, "h": 4}]
    body = {"label": {"zh": "驾驶舱", "en": "Cockpit"}, "app_id": app_id, "layout": layout}
    return client.post("/api/v1/dashboards", json={**body, **extra})


@pytest.mark.parametrize(
    "dimensions, measures, filter_, path",
    [
        ([{"field": "colour"}], [COUNT], None, "definition.dimensions.0.field"),
        ([{"field": "qty", "bucket": "month"}], [COUNT], None, "definition.dimensions.0.bucket"),
        (
            [{"field": "expiry", "bucket": "fortnight"}],
            [COUNT],
            None,
            "definition.dimensions.0.bucket",
        ),
        ([{"alert_level": "nope"}], [COUNT], None, "definition.dimensions.0.alert_level"),
        (
            [],
            [{"key": "n", "agg": "sum", "field": "batch_no"}],
            None,
            "definition.measures.0.field",
        ),
        ([], [{"key": "n", "agg": "median", "field": "qty"}], None, "definition.measures.0.agg"),
        (
            [],
            [COUNT, {"key": "share", "formula": {"/": [{"var": "qty"}, {"var": "batches"}]}}],
            None,
            "definition.measures.1.formula",
        ),
        ([], [COUNT], {"==": [{"var": "qty"}, "many"]}, "definition.filter.=="),
        ([], [COUNT], {"nope": [1]}, "definition.filter.nope"),
    ],
)
def test_a_definition_that_does_not_fit_its_form_is_refused_with_its_path(
    tenant, dimensions, measures, filter_, path
):
    form = make_form(tenant)
    definition = {"type": "bar", "dimensions": dimensions, "measures": measures, "filter": filter_}
    for response in (
        _chart(tenant.admin, form, definition),
        tenant.admin.post(
            "/api/v1/charts/preview", json={"form_id": form["id"], "definition": definition}
        ),
    ):
        assert response.status_code == 422, response.json
        assert path in response.json["errors"], response.json["errors"]
    chart = _chart(tenant.admin, form).json
    patched = tenant.admin.patch(f"/api/v1/charts/{chart['id']}", json={"definition": definition})
    assert patched.status_code == 422 and path in patched.json["errors"]


def test_errors_speak_the_callers_language(tenant):
    form = make_form(tenant)
    definition = {"type": "bar", "measures": [{"key": "n", "agg": "sum", "field": "batch_no"}]}
    response = tenant.admin.post(
        "/api/v1/charts",
        json={"label": {"zh": "图"}, "form_id": form["id"], "definition": definition},
        headers={"Accept-Language": "zh"},
    )
    assert response.status_code == 422
    assert response.json["message"].startswith("图表定义有误")
    assert response.json["errors"]["definition.measures.0.field"] == ["不能对文本求合计。"]


def test_charts_are_designed_by_designers_and_read_by_viewers(tenant):
    form = make_form(tenant)
    viewer = tenant.user_client("viewer", role_ids=[_role(tenant, "viewers", ["dashboards.view"])])
    assert _chart(viewer, form).status_code == 403
    chart = _chart(tenant.admin, form).json
    assert chart["app_id"] == form["app_id"] and chart["created_by"] == tenant.admin_id
    assert viewer.get(f"/api/v1/charts/{chart['id']}").json["definition"]["type"] == "kpi"
    assert viewer.post(f"/api/v1/charts/{chart['id']}/data", json={}).status_code == 200
    nobody = tenant.user_client("nobody")
    assert nobody.post(f"/api/v1/charts/{chart['id']}/data", json={}).status_code == 403
    taken = tenant.admin.post(
        "/api/v1/charts",
        json={
            "key": chart["key"],
            "label": {},
            "form_id": form["id"],
            "definition": chart["definition"],
        },
    )
    assert taken.status_code == 409


def test_a_dashboard_is_seen_by_its_viewer_roles_and_changed_by_its_editors(tenant):
    form = make_form(tenant)
    chart = _chart(tenant.admin, form).json
    roles = {
        "east": _role(tenant, "east_viewers", ["dashboards.view"]),
        "south": _role(tenant, "south_viewers", ["dashboards.view"]),
        "editors": _role(tenant, "editors", ["dashboards.view", "dashboards.design"]),
        "designers": _role(tenant, "designers", ["dashboards.view", "dashboards.design"]),
    }
    people = {
        name: tenant.user_client(name, role_ids=[roles[role]])
        for name, role in (
            ("east", "east"),
            ("south", "south"),
            ("editor", "editors"),
            ("designer", "designers"),
            ("creator", "designers"),
        )
    }
    created = _dashboard(
        people["creator"],
        form["app_id"],
        chart["id"],
        viewer_role_ids=[roles["east"]],
        editor_role_ids=[roles["editors"]],
        filters={
            "date_from": "2026-01-01",
            "date_to": "2026-03-31",
            "equals": {"warehouse": "east"},
        },
        refresh_seconds=300,
    )
    assert created.status_code == 201, created.json
    dashboard = created.json
    assert dashboard["can_edit"] is True
    assert dashboard["filters"]["date_from"] == "2026-01-01"
    url = f"/api/v1/dashboards/{dashboard['id']}"
    seen = people["east"].get(url)
    assert seen.status_code == 200 and seen.json["can_edit"] is False
    assert seen.json["layout"] == [{"chart_id": chart["id"], "x": 0, "y": 0, "w": 6, "h": 4}]
    # what the viewer needs to draw it comes with it
    assert seen.json["charts"] == [{k: chart[k] for k in ("id", "label", "form_id", "definition")}]
    listed = people["east"].get("/api/v1/dashboards").json["items"]
    assert [d["id"] for d in listed] == [dashboard["id"]] and "charts" not in listed[0]
    # outside the viewer roles it does not exist, even for a designer who is not its editor
    for outsider in ("south", "designer"):
        assert people[outsider].get(url).status_code == 404
        assert people[outsider].get("/api/v1/dashboards").json["items"] == []
    assert people["designer"].patch(url, json={"refresh_seconds": 60}).status_code == 404
    assert people["east"].patch(url, json={"refresh_seconds": 60}).status_code == 403
    edited = people["editor"].patch(url, json={"refresh_seconds": 60, "viewer_role_ids": []})
    assert edited.status_code == 200 and edited.json["can_edit"] is True
    # no viewer roles: everyone who may view dashboards sees it, and only editors change it
    assert people["south"].get(url).json["refresh_seconds"] == 60
    assert people["designer"].patch(url, json={"refresh_seconds": 30}).status_code == 403
    assert people["creator"].patch(url, json={"refresh_seconds": 30}).status_code == 200
    bad = people["creator"].patch(
        url, json={"layout": [{"chart_id": 999999, "x": 0, "y": 0, "w": 1, "h": 1}]}
    )
    assert bad.status_code == 422 and "layout.0.chart_id" in bad.json["errors"]
    assert people["creator"].delete(url).status_code == 204
    assert people["east"].get(url).status_code == 404


def test_a_chart_on_a_dashboard_cannot_be_deleted(tenant):
    form = make_form(tenant)
    chart = _chart(tenant.admin, form).json
    dashboard = _dashboard(tenant.admin, form["app_id"], chart["id"]).json
    refused = tenant.admin.delete(f"/api/v1/charts/{chart['id']}")
    assert refused.status_code == 409
    assert refused.json["dashboards"] == [
        {"id": dashboard["id"], "key": dashboard["key"], "label": dashboard["label"]}
    ]
    assert "'驾驶舱'" in refused.json["message"]
    tenant.admin.patch(f"/api/v1/dashboards/{dashboard['id']}", json={"layout": []})
    assert tenant.admin.delete(f"/api/v1/charts/{chart['id']}").status_code == 204
    assert tenant.admin.get(f"/api/v1/charts/{chart['id']}").status_code == 404


def test_an_app_travels_with_its_charts_and_dashboards(tenant, make_tenant):
    form, rule = setup_rule(tenant)
    tenant.admin.patch(f"/api/v1/rules/{rule['id']}", json={"app_id": form["app_id"]})
    viewers = _role(tenant, "cockpit_viewers", ["dashboards.view"])
    definition = {
        "type": "stacked_bar",
        "dimensions": [{"field": "warehouse"}, {"alert_level": rule["key"]}],
        "measures": [COUNT, {"key": "qty", "agg": "sum", "field": "qty"}],
        "date_field": "produced",
    }
    chart = _chart(tenant.admin, form, definition).json
    _dashboard(
        tenant.admin,
        form["app_id"],
        chart["id"],
        key="cockpit",
        viewer_role_ids=[viewers],
        filters={"equals": {"warehouse": "east"}},
    )
    package = tenant.admin.get(f"/api/v1/apps/{form['app_id']}/export").json
    assert [c["form"] for c in package["charts"]] == [form["key"]]
    assert package["dashboards"][0]["layout"][0]["chart"] == chart["key"]
    assert package["dashboards"][0]["viewer_roles"] == ["cockpit_viewers"]

    other = make_tenant()
    imported = other.admin.post("/api/v1/apps/import", json=package)
    assert imported.status_code == 201, imported.json
    copies = other.admin.get("/api/v1/charts").json["items"]
    assert [(c["key"], c["definition"]) for c in copies] == [(chart["key"], definition)]
    assert copies[0]["app_id"] == imported.json["id"]
    cockpit = other.admin.get("/api/v1/dashboards").json["items"][0]
    role = next(
        r for r in other.admin.get("/api/v1/roles").json["items"] if r["code"] == "cockpit_viewers"
    )
    assert cockpit["key"] == "cockpit" and cockpit["viewer_role_ids"] == [role["id"]]
    assert cockpit["layout"][0]["chart_id"] == copies[0]["id"]
    assert cockpit["filters"] == {"equals": {"warehouse": "east"}}
    figures = other.admin.post(f"/api/v1/charts/{copies[0]['id']}/data", json={}).json
    assert figures["rows"] == [] and figures["totals"] == {"batches": 0, "qty": None}


@pytest.mark.parametrize(
    "extra, path",
    [
        ({"source": "todos"}, "definition.source"),
        (
            {"source": "alerts", "dimensions": [{"field": "alert_hours", "bucket": "month"}]},
            "definition.dimensions.0.bucket",
        ),
        (
            {"source": "alerts", "measures": [{"key": "n", "agg": "sum", "field": "alert_level"}]},
            "definition.measures.0.field",
        ),
        ({"dimensions": [{"field": "alert_level"}]}, "definition.dimensions.0.field"),
    ],
    ids=["unknown source", "hours are no date", "levels are no number", "records have no alert"],
)
def test_a_chart_of_alerts_is_checked_against_the_alert_fields(tenant, extra, path):
    form = make_form(tenant)
    definition = {"type": "bar", "dimensions": [], "measures": [COUNT], **extra}
    response = _chart(tenant.admin, form, definition)
    assert response.status_code == 422, response.json
    assert path in response.json["errors"], response.json["errors"]
    fine = {"source": "alerts", "type": "kpi", "measures": [COUNT, _HOURS]}
    assert _chart(tenant.admin, form, fine).status_code == 201


_HOURS = {"key": "hours", "agg": "avg", "field": "alert_hours"}
