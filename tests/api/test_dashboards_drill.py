"""What a viewer sees of a chart is within their records data scope, in the figures and in
the drill-down; a drill-down's filter lists, through the records API, exactly the records
behind the clicked value, alert levels included; cached figures are fresh after a change."""

from __future__ import annotations

import json

import pytest

from tests.forms_fixtures import make_form, records_url
from tests.rules_fixtures import add_batch, levels_of, setup_rule

FIELDS = [
    {"key": "batch_no", "type": "text", "label": "批次号"},
    {
        "key": "warehouse",
        "type": "select",
        "label": {"zh": "仓库", "en": "Warehouse"},
        "options": [{"value": "east", "label": {"zh": "华东仓"}}, {"value": "south"}],
    },
    {"key": "qty", "type": "integer", "label": "数量"},
]
BY_WAREHOUSE = {
    "type": "bar",
    "dimensions": [{"field": "warehouse"}],
    "measures": [
        {"key": "batches", "agg": "count"},
        {"key": "qty", "agg": "sum", "field": "qty"},
    ],
}


def _role(tenant, code, permissions, data_scope="all"):
    body = {"name": code, "code": code, "permissions": permissions, "data_scope": data_scope}
    response = tenant.admin.post("/api/v1/roles", json=body)
    assert response.status_code == 201, response.json
    return response.json["id"]


def _chart(tenant, form, definition, **extra):
    body = {"label": {"zh": "图"}, "form_id": form["id"], "definition": definition, **extra}
    response = tenant.admin.post("/api/v1/charts", json=body)
    assert response.status_code == 201, response.json
    return response.json


def _records(client, form, condition) -> set[str]:
    response = client.get(
        records_url(form), query_string={"filter": json.dumps(condition), "page_size": 500}
    )
    assert response.status_code == 200, response.json
    return {r["batch_no"] for r in response.json["items"]}


@pytest.fixture
def warehouses(tenant):
    """Clerks of two departments enter batches; a viewer sees the East department's."""
    admin = tenant.admin
    east = admin.post("/api/v1/departments", json={"name": "East"}).json["id"]
    south = admin.post("/api/v1/departments", json={"name": "South"}).json["id"]
    form = make_form(tenant, fields=FIELDS)
    clerk = _role(tenant, "clerk", ["records.read", "records.write"], "own")
    viewer_role = _role(tenant, "east_viewer", ["dashboards.view", "records.read"], "department")
    clerks = {
        "east": tenant.user_client("east-clerk", department_id=east, role_ids=[clerk]),
        "south": tenant.user_client("south-clerk", department_id=south, role_ids=[clerk]),
    }
    entered = [("east", "E1", "east", 10), ("east", "E2", "east", 5), ("south", "S1", "south", 7)]
    entered.append(("south", "S2", "east", 100))
    for who, batch_no, warehouse, qty in entered:
        made = clerks[who].post(
            records_url(form), json={"batch_no": batch_no, "warehouse": warehouse, "qty": qty}
        )
        assert made.status_code == 201, made.json
    viewer = tenant.user_client("viewer", department_id=east, role_ids=[viewer_role])
    chart = _chart(tenant, form, BY_WAREHOUSE)
    return {"tenant": tenant, "form": form, "chart": chart, "viewer": viewer}


def test_a_department_viewer_sees_only_their_departments_figures(warehouses):
    chart, viewer = warehouses["chart"], warehouses["viewer"]
    url = f"/api/v1/charts/{chart['id']}/data"
    mine = viewer.post(url, json={"filters": {}})
    assert mine.status_code == 200, mine.json
    assert [(r["warehouse"]["label"], r["batches"], r["qty"]) for r in mine.json["rows"]] == [
        ("华东仓", 2, 15)
    ]
    assert mine.json["totals"] == {"batches": 2, "qty": 15}
    everyone = warehouses["tenant"].admin.post(url, json={}).json
    assert everyone["totals"] == {"batches": 4, "qty": 122}
    assert everyone["cached"] is False  # the admin's scope is another cache entry


def test_the_drill_down_count_and_records_match_the_clicked_value(warehouses):
    chart, viewer, form = warehouses["chart"], warehouses["viewer"], warehouses["form"]
    admin = warehouses["tenant"].admin
    url = f"/api/v1/charts/{chart['id']}/drill"
    for client, expected in ((viewer, {"E1", "E2"}), (admin, {"E1", "E2", "S2"})):
        figures = client.post(f"/api/v1/charts/{chart['id']}/data", json={}).json
        clicked = next(r for r in figures["rows"] if r["warehouse"]["value"] == "east")
        drill = client.post(url, json={"point": {"warehouse": "east"}})
        assert drill.status_code == 200, drill.json
        assert drill.json["form_id"] == form["id"]
        assert drill.json["count"] == clicked["batches"] == len(expected)
        assert _records(client, form, drill.json["filter"]) == expected
    narrowed = admin.post(
        url, json={"point": {"warehouse": "east"}, "filters": {"equals": {"qty": 100}}}
    ).json
    assert narrowed["count"] == 1 and _records(admin, form, narrowed["filter"]) == {"S2"}
    empty = admin.post(url, json={"point": {"warehouse": None}}).json
    assert empty["count"] == 0
    wrong = admin.post(url, json={"point": {"colour": "red"}})
    assert wrong.status_code == 422 and "point.colour" in wrong.json["errors"]


def test_figures_are_cached_until_the_data_changes(warehouses):
    chart, form = warehouses["chart"], warehouses["form"]
    admin = warehouses["tenant"].admin
    url = f"/api/v1/charts/{chart['id']}/data"
    first = admin.post(url, json={}).json
    again = admin.post(url, json={}).json
    assert (first["cached"], again["cached"]) == (False, True)
    assert again["rows"] == first["rows"] and again["computed_at"] == first["computed_at"]
    record = admin.get(
        records_url(form), query_string={"filter": '{"==": [{"var": "batch_no"}, "E1"]}'}
    )
    e1 = record.json["items"][0]
    changed = admin.patch(
        f"{records_url(form)}/{e1['id']}",
        json={"row_version": e1["_row_version"], "values": {"qty": 11}},
    )
    assert changed.status_code == 200, changed.json
    fresh = admin.post(url, json={}).json
    assert fresh["cached"] is False and fresh["totals"] == {"batches": 4, "qty": 123}
    imported = admin.post(
        f"{records_url(form)}/bulk",
        json={"records": [{"batch_no": "N1", "warehouse": "south", "qty": 1}]},
    )
    assert imported.status_code == 201, imported.json
    after_import = admin.post(url, json={}).json
    assert after_import["cached"] is False and after_import["totals"]["batches"] == 5


def test_an_alert_level_dimension_after_a_rule_scan(tenant):
    form, rule = setup_rule(tenant)
    for batch_no, days_left in (("G", 80), ("Y", 50), ("R", 10), ("X", -1), ("N", None)):
        add_batch(tenant, form, batch_no, days_left)
    assert tenant.admin.post(f"/api/v1/rules/{rule['id']}/run").status_code == 200
    assert levels_of(tenant, rule) == {"Y": "yellow", "R": "red", "X": "expired"}
    key = f"level:{rule['key']}"
    chart = _chart(
        tenant,
        form,
        {
            "type": "donut",
            "dimensions": [{"alert_level": rule["key"]}],
            "measures": [{"key": "batches", "agg": "count"}],
        },
    )
    url = f"/api/v1/charts/{chart['id']}/data"
    figures = tenant.admin.post(url, json={}, headers={"Accept-Language": "zh"}).json
    assert figures["dimensions"] == [
        {"key": key, "label": "临期预警", "type": "level", "rule": rule["key"]}
    ]
    assert [(r[key]["value"], r[key]["label"], r["batches"]) for r in figures["rows"]] == [
        ("green", "绿牌", 2),  # green, and N that has no dates: neither has an open alert
        ("yellow", "黄牌", 1),
        ("red", "红牌", 1),
        ("expired", "已过期", 1),
    ]
    drill = tenant.admin.post(
        f"/api/v1/charts/{chart['id']}/drill", json={"point": {key: "red"}}
    ).json
    assert drill["filter"] == {"==": [{"alert_level": rule["key"]}, "red"]}
    assert drill["count"] == 1 and _records(tenant.admin, form, drill["filter"]) == {"R"}
    green = tenant.admin.post(
        f"/api/v1/charts/{chart['id']}/drill", json={"point": {key: "green"}}
    ).json
    assert green["count"] == 2 and _records(tenant.admin, form, green["filter"]) == {"G", "N"}
    # R's batch is fresh again: its alert closes, and the chart says so at once
    r = tenant.admin.get(
        records_url(form), query_string={"filter": '{"==": [{"var": "batch_no"}, "R"]}'}
    ).json["items"][0]
    fresh = add_batch(tenant, form, "tmp", 90)["produced"]
    moved = tenant.admin.patch(
        f"{records_url(form)}/{r['id']}",
        json={"row_version": r["_row_version"], "values": {"produced": fresh}},
    )
    assert moved.status_code == 200, moved.json
    after = tenant.admin.post(url, json={}).json
    assert after["cached"] is False
    assert {row[key]["value"]: row["batches"] for row in after["rows"]} == {
        "green": 4,
        "yellow": 1,
        "expired": 1,
    }


@pytest.fixture
def ladder(tenant):
    """Batches in two warehouses and two categories at every level, after a rule scan, and a
    bar chart stepping from warehouse to category to level; a viewer may only view."""
    form, rule = setup_rule(tenant)
    for batch_no, warehouse, category, days_left in (
        ("ED-G", "east", "dairy", 80),
        ("ED-R1", "east", "dairy", 10),
        ("ED-R2", "east", "dairy", 12),
        ("ES-Y", "east", "snacks", 50),
        ("SD-X", "south", "dairy", -1),
        ("SS-G", "south", "snacks", 90),
    ):
        add_batch(tenant, form, batch_no, days_left, warehouse=warehouse, category=category)
    assert tenant.admin.post(f"/api/v1/rules/{rule['id']}/run").status_code == 200
    dimensions = [{"field": "warehouse"}, {"field": "category"}, {"alert_level": rule["key"]}]
    definition = {
        "type": "bar",
        "dimensions": dimensions,
        "measures": [{"key": "batches", "agg": "count"}],
        "sort": [{"key": "batches", "desc": True}],
    }
    viewer = tenant.user_client("viewer", role_ids=[_role(tenant, "viewers", ["dashboards.view"])])
    return {
        "tenant": tenant,
        "form": form,
        "level": f"level:{rule['key']}",
        "definition": definition,
        "chart": _chart(tenant, form, definition),
        "viewer": viewer,
    }


def _step(client, chart, point, depth) -> dict:
    response = client.post(
        f"/api/v1/charts/{chart['id']}/data", json={"point": point, "depth": depth}
    )
    assert response.status_code == 200, response.json
    return response.json


def _by(figures, key) -> dict:
    return {row[key]["value"]: row["batches"] for row in figures["rows"]}


def test_a_viewer_drills_down_two_levels_and_the_counts_add_up(ladder):
    chart, viewer, level = ladder["chart"], ladder["viewer"], ladder["level"]
    top = _step(viewer, chart, {}, 0)
    assert [d["key"] for d in top["dimensions"]] == ["warehouse"]
    assert _by(top, "warehouse") == {"east": 4, "south": 2}

    east = _step(viewer, chart, {"warehouse": "east"}, 1)
    assert [d["key"] for d in east["dimensions"]] == ["category"]
    assert _by(east, "category") == {"dairy": 3, "snacks": 1}
    assert sum(_by(east, "category").values()) == _by(top, "warehouse")["east"]

    dairy = _step(viewer, chart, {"warehouse": "east", "category": "dairy"}, 2)
    assert [d["key"] for d in dairy["dimensions"]] == [level]
    assert _by(dairy, level) == {"green": 1, "red": 2}
    assert sum(_by(dairy, level).values()) == _by(east, "category")["dairy"]

    # the records behind the last step's bar are as many as it shows
    point = {"warehouse": "east", "category": "dairy", level: "red"}
    drill = viewer.post(f"/api/v1/charts/{chart['id']}/drill", json={"point": point})
    assert drill.status_code == 200 and drill.json["count"] == 2
    # stepping needs no designer's preview, which the viewer may not use
    preview = {"form_id": ladder["form"]["id"], "definition": ladder["definition"]}
    assert viewer.post("/api/v1/charts/preview", json=preview).status_code == 403


@pytest.mark.parametrize(
    "body, path",
    [
        ({"point": {}, "depth": 3}, "depth"),
        ({"depth": -1}, "depth"),
        ({"point": {"colour": "red"}, "depth": 1}, "point.colour"),
        ({"point": {"warehouse": "east", "level:nope": "red"}, "depth": 1}, "point.level:nope"),
    ],
)
def test_a_step_outside_the_chart_is_refused_with_its_path(ladder, body, path):
    chart = ladder["chart"]
    response = ladder["viewer"].post(f"/api/v1/charts/{chart['id']}/data", json=body)
    assert response.status_code == 422, response.json
    assert path in response.json["errors"], response.json["errors"]


def test_a_stacked_bar_keeps_its_stacks_at_every_step(ladder):
    stacked = _chart(
        ladder["tenant"], ladder["form"], {**ladder["definition"], "type": "stacked_bar"}
    )
    level = ladder["level"]
    east = _step(ladder["viewer"], stacked, {"warehouse": "east"}, 1)
    assert [d["key"] for d in east["dimensions"]] == ["category", level]
    assert {(r["category"]["value"], r[level]["value"]): r["batches"] for r in east["rows"]} == {
        ("dairy", "green"): 1,
        ("dairy", "red"): 2,
        ("snacks", "yellow"): 1,
    }
    refused = ladder["viewer"].post(
        f"/api/v1/charts/{stacked['id']}/data", json={"point": {}, "depth": 2}
    )
    assert refused.status_code == 422 and "depth" in refused.json["errors"]
