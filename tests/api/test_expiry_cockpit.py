"""The expiry template's cockpit: installed with the template and its demo data, shared with
the template's roles, every chart gives figures that drill down to their records, a regional
clerk sees his region only, and the figures reconcile with the records."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.api.test_template_app import _login, _url, demo  # noqa: F401 - the fixture
from tests.rules_fixtures import tenant_today

CHARTS = {
    "alert_handling_kpi",
    "near_expiry_levels",
    "near_expiry_by_warehouse",
    "near_expiry_by_category",
    "disposal_roi_by_method",
    "scrap_loss_trend",
    "alerts_issued_handled",
    "green_figures",
}
#: each chart's row count measure: what a drill-down's count must equal
COUNTED = {
    "near_expiry_levels": "batches",
    "near_expiry_by_warehouse": "batches",
    "near_expiry_by_category": "batches",
    "disposal_roi_by_method": "orders",
    "alerts_issued_handled": "raised",
    "alert_handling_kpi": "raised",
    "green_figures": "orders",
}
METHODS = [
    *("fefo", "promotion", "bundle", "clearance", "employee", "donation"),
    *("supplier_return", "conversion", "scrap"),
]
#: the template's roles that watch the cockpit (its employees buy, they do not manage)
ROLES = {"warehouse", "sales", "channel", "director", "finance"}


def _year() -> dict:
    today = tenant_today()
    return {"date_from": (today - timedelta(days=364)).isoformat(), "date_to": today.isoformat()}


@pytest.fixture
def cockpit(demo):  # noqa: F811
    """The installed cockpit: the dashboard and its charts by key."""
    boards = demo.admin.get("/api/v1/dashboards").json["items"]
    board = next(b for b in boards if b["key"] == "expiry_cockpit")
    detail = demo.admin.get(f"/api/v1/dashboards/{board['id']}").json
    charts = {c["key"]: c for c in demo.admin.get("/api/v1/charts").json["items"]}
    demo.board, demo.charts = detail, charts
    return demo


def _figures(client, chart, filters=None, **extra) -> dict:
    body = {"filters": _year() if filters is None else filters, **extra}
    response = client.post(f"/api/v1/charts/{chart['id']}/data", json=body)
    assert response.status_code == 200, response.json
    return response.json


def _drill(client, chart, point, filters=None) -> dict:
    body = {"filters": _year() if filters is None else filters, "point": point}
    response = client.post(f"/api/v1/charts/{chart['id']}/drill", json=body)
    assert response.status_code == 200, response.json
    return response.json


def _records(client, url: str, condition) -> list[dict]:
    """Every record the records API lists for ``condition``."""
    items, page = [], 1
    while True:
        query = {"filter": json.dumps(condition), "page": page, "page_size": 100}
        response = client.get(url, query_string=query)
        assert response.status_code == 200, response.json
        found = response.json
        items += found["items"]
        if len(items) >= found["total"] or not found["items"]:
            return items
        page += 1


def _point(figures: dict, row: dict) -> dict:
    return {d["key"]: row[d["key"]]["value"] for d in figures["dimensions"]}


def test_the_cockpit_comes_with_the_template_and_is_shared_with_its_roles(cockpit):
    assert CHARTS <= set(cockpit.charts)
    keys = {c["id"]: key for key, c in cockpit.charts.items()}
    assert {keys[c["id"]] for c in cockpit.board["charts"]} == CHARTS
    roles = {r["id"]: r["code"] for r in cockpit.admin.get("/api/v1/roles").json["items"]}
    assert {roles[i] for i in cockpit.board["viewer_role_ids"]} == ROLES
    for username in ("wang.clerk", "zhou.director", "zhao.sales", "chen.channel", "qian.finance"):
        client = _login(cockpit, username)
        assert client.get(f"/api/v1/dashboards/{cockpit.board['id']}").status_code == 200
    # labels for people in both languages, no keys
    for chart in cockpit.charts.values():
        assert chart["label"]["zh"] and chart["label"]["en"]


def test_every_cockpit_chart_gives_figures(cockpit):
    """Stock and alerts are there after a demo install; disposal charts show what the demo's
    disposal orders hold (a small demo has few)."""
    done = _records(
        cockpit.admin,
        _url(cockpit, "disposal"),
        {
            "and": [
                {"==": [{"var": "status"}, "done"]},
                {">=": [{"var": "handled_on"}, _year()["date_from"]]},
            ]
        },
    )
    assert done, "the demo has past disposals"
    for key in CHARTS:
        figures = _figures(cockpit.admin, cockpit.charts[key])
        assert figures["rows"] or key == "scrap_loss_trend", key
        assert all(m["label"] != m["key"] for m in figures["measures"]), key
    levels = _figures(cockpit.admin, cockpit.charts["near_expiry_levels"])
    assert {r["level:expiry_levels"]["value"] for r in levels["rows"]} >= {"yellow", "red"}
    methods = _figures(cockpit.admin, cockpit.charts["disposal_roi_by_method"])
    assert {r["method"]["value"] for r in methods["rows"]} == {o["method"] for o in done} | {
        r["method"]["value"] for r in methods["rows"] if r["done"] == 0
    }
    assert methods["previous"] is not None
    trend = _figures(cockpit.admin, cockpit.charts["scrap_loss_trend"])
    scrapped = {o["handled_on"][:7] for o in done if o["method"] == "scrap"}
    assert {r["handled_on:month"]["value"][:7] for r in trend["rows"]} == scrapped
    green = _figures(cockpit.admin, cockpit.charts["green_figures"])
    assert green["totals"]["orders"] == len(done)


def test_drill_down_counts_equal_the_clicked_value(cockpit):
    for key, count in COUNTED.items():
        chart = cockpit.charts[key]
        figures = _figures(cockpit.admin, chart)
        # the first groups, and the whole chart (an empty point)
        for row in [*figures["rows"][:3], figures["totals"]]:
            point = _point(figures, row) if row is not figures["totals"] else {}
            drilled = _drill(cockpit.admin, chart, point)
            assert drilled["count"] == row[count], (key, point)
            if drilled.get("alerts") is not None:
                assert len(drilled["alerts"]) == min(row[count], 200)
                continue
            url = f"/api/v1/forms/{drilled['form_id']}/records"
            listed = cockpit.admin.get(
                url, query_string={"filter": json.dumps(drilled["filter"]), "page_size": 1}
            ).json
            assert listed["total"] == row[count], (key, point)


def test_the_ladder_steps_from_region_to_warehouse(cockpit):
    chart = cockpit.charts["near_expiry_by_warehouse"]
    top = _figures(cockpit.admin, chart, point={}, depth=0)
    assert [d["key"] for d in top["dimensions"]] == ["warehouse.region", "level:expiry_levels"]
    east = [r for r in top["rows"] if r["warehouse.region"]["value"] == "east"]
    point = {"warehouse.region": "east"}
    step = _figures(cockpit.admin, chart, point=point, depth=1)
    assert [d["key"] for d in step["dimensions"]] == ["warehouse", "level:expiry_levels"]
    assert step["totals"]["batches"] == sum(r["batches"] for r in east)


def test_a_regional_clerk_sees_only_his_regions_totals(cockpit):
    chart = cockpit.charts["near_expiry_by_warehouse"]
    everyone = _figures(cockpit.admin, chart, point={}, depth=0)
    east = [r for r in everyone["rows"] if r["warehouse.region"]["value"] == "east"]
    clerk = _login(cockpit, "wang.clerk")
    his = _figures(clerk, chart, point={}, depth=0)
    assert {r["warehouse.region"]["value"] for r in his["rows"]} == {"east"}
    assert his["totals"]["batches"] == sum(r["batches"] for r in east)
    assert his["totals"]["value"] == pytest.approx(sum(r["value"] for r in east))
    assert his["totals"]["batches"] < everyone["totals"]["batches"]
    # his alerts too: the alerts of his region's batches only
    alerts = cockpit.charts["alert_handling_kpi"]
    assert (
        0
        < _figures(clerk, alerts)["totals"]["raised"]
        < (_figures(cockpit.admin, alerts)["totals"]["raised"])
    )
    # and the drill-down behind his figures holds his records only
    drilled = _drill(clerk, chart, {"warehouse.region": "east"})
    assert drilled["count"] == his["totals"]["batches"]
    assert _drill(clerk, chart, {"warehouse.region": "south"})["count"] == 0


def test_the_figures_reconcile_with_the_records(cockpit):
    """Red stock value is the sum of stock_value over the red batches the records API lists;
    recovered amounts per scheme are the sums over the disposal orders."""
    levels = _figures(cockpit.admin, cockpit.charts["near_expiry_levels"])
    red = next(r for r in levels["rows"] if r["level:expiry_levels"]["value"] == "red")
    batches = _records(
        cockpit.admin,
        _url(cockpit, "batch"),
        {
            "and": [
                {"==": [{"alert_level": "expiry_levels"}, "red"]},
                {">": [{"var": "on_hand"}, 0]},
            ]
        },
    )
    assert len(batches) == red["batches"]
    assert sum(Decimal(str(b["stock_value"])) for b in batches) == Decimal(str(red["value"]))
    assert sum(b["on_hand"] for b in batches) == red["qty"]

    roi = _figures(cockpit.admin, cockpit.charts["disposal_roi_by_method"], filters={})
    orders = _records(
        cockpit.admin, _url(cockpit, "disposal"), {"in": [{"var": "method"}, METHODS]}
    )
    assert roi["totals"]["orders"] == len(orders)
    for row in roi["rows"]:
        mine = [o for o in orders if o["method"] == row["method"]["value"]]
        done = [o for o in mine if o["status"] == "done"]
        recovered = sum(Decimal(str(o["recovered_amount"] or 0)) for o in mine)
        cost = sum(Decimal(str(o["cost_amount"] or 0)) for o in mine)
        assert (row["orders"], row["done"]) == (len(mine), len(done))
        assert row["qty"] == sum(o["qty"] for o in done)
        assert Decimal(str(row["recovered"])) == recovered
        assert row["roi"] == pytest.approx(float(recovered / cost), abs=1e-6)


def test_a_done_to_do_counts_as_a_handled_alert(cockpit):
    chart = cockpit.charts["alert_handling_kpi"]
    before = _figures(cockpit.admin, chart)["totals"]
    clerk = _login(cockpit, "wang.clerk")
    todo = clerk.get("/api/v1/todos").json["items"][0]
    done = clerk.post(f"/api/v1/todos/{todo['id']}/complete", json={"result": "已优先出库"})
    assert done.status_code == 200, done.json
    after = _figures(cockpit.admin, chart)
    assert after["cached"] is False
    assert after["totals"]["handled"] == before["handled"] + 1
    assert after["totals"]["hours"] is not None and after["totals"]["hours"] >= 0


def test_the_global_filters_narrow_every_chart(cockpit):
    warehouses = cockpit.admin.get(_url(cockpit, "warehouse")).json["items"]
    shanghai = next(w for w in warehouses if w["kind"] != "virtual")
    only = {**_year(), "equals": {"warehouse": shanghai["id"]}}
    chart = cockpit.charts["near_expiry_by_category"]
    narrowed = _figures(cockpit.admin, chart, filters=only)
    drilled = _drill(cockpit.admin, chart, {}, filters=only)
    assert drilled["count"] == narrowed["totals"]["batches"]
    listed = _records(cockpit.admin, _url(cockpit, "batch"), drilled["filter"])
    assert listed and {b["warehouse"] for b in listed} == {shanghai["id"]}
    alerts = _figures(cockpit.admin, cockpit.charts["alert_handling_kpi"], filters=only)
    everyone = _figures(cockpit.admin, cockpit.charts["alert_handling_kpi"])
    assert 0 < alerts["totals"]["raised"] < everyone["totals"]["raised"]


def test_past_alerts_recorded_as_history_show_in_the_alert_charts(cockpit, app):
    """A demo's past (or a migrated system's) goes in as closed alerts: the months they
    were raised in, how many were handled and the hours it took."""
    from datetime import datetime

    from app.errors import ValidationError
    from app.extensions import db
    from app.rules.alert_history import record_history
    from tests.api.test_template_app import _scope

    batches = cockpit.admin.get(_url(cockpit, "batch"), query_string={"page_size": 3}).json
    titles = [b["batch_no"] for b in batches["items"]]
    today = tenant_today()
    first = today.replace(day=1) - timedelta(days=40)  # some day of the month before last
    month = first.replace(day=1).isoformat()
    raised = datetime.combine(first, datetime.min.time())
    entries = [
        {
            "rule": "expiry_levels",
            "record": title,
            "level": "red",
            "raised_at": raised.isoformat(),
            "handled_at": (raised + timedelta(hours=hours)).isoformat() if hours else None,
            "closed_at": (raised + timedelta(days=3)).isoformat(),
        }
        for title, hours in zip(titles, (6, 30, None), strict=True)
    ]
    chart = cockpit.charts["alerts_issued_handled"]

    def that_month() -> dict:  # the demo's own history may have alerts that month already
        rows = _figures(cockpit.admin, chart)["rows"]
        empty = {"raised": 0, "handled": 0, "hours": None}
        return next((r for r in rows if r["alert_raised_at:month"]["value"] == month), empty)

    before = that_month()
    drilled_before = _drill(cockpit.admin, chart, {"alert_raised_at:month": month})
    with app.app_context():
        assert record_history(_scope(cockpit), entries) == 3
        with pytest.raises(ValidationError) as refused:
            record_history(_scope(cockpit), [{**entries[0], "record": "no such batch"}])
        assert list(refused.value.errors) == ["alerts.0.record"]
        db.session.remove()
    past = that_month()
    assert (past["raised"], past["handled"]) == (before["raised"] + 3, before["handled"] + 2)
    hours_before = (before["hours"] or 0) * before["handled"]
    assert past["hours"] == pytest.approx((hours_before + 6 + 30) / past["handled"], abs=0.01)
    assert past["handled_rate"] == pytest.approx(past["handled"] / past["raised"], abs=1e-6)
    drilled = _drill(cockpit.admin, chart, {"alert_raised_at:month": month})
    assert drilled["count"] == drilled_before["count"] + 3
    mine = [
        a
        for a in drilled["alerts"]
        if a["title"] in titles and a["alert_raised_at"].startswith(raised.date().isoformat())
    ]
    assert sorted(a["alert_hours"] or 0 for a in mine) == [0, 6.0, 30.0]
