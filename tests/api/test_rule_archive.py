"""Archiving a rule, and the board's summary under the same filters as its list."""

from __future__ import annotations

from tests.rules_fixtures import add_batch, levels_of, rule_definition, setup_rule


def test_deleting_a_rule_archives_it_and_closes_its_alerts(tenant, make_tenant):
    form, rule = setup_rule(tenant)
    add_batch(tenant, form, "Y1", 45)
    add_batch(tenant, form, "R1", 10)
    assert levels_of(tenant, rule) == {"Y1": "yellow", "R1": "red"}
    url = f"/api/v1/rules/{rule['id']}"

    stranger = make_tenant()
    assert stranger.admin.delete(url).status_code == 404
    assert tenant.admin.get(url).status_code == 200

    assert tenant.admin.delete(url).status_code == 204
    assert tenant.admin.get(url).status_code == 404
    assert tenant.admin.delete(url).status_code == 404
    assert tenant.admin.post(f"{url}/run").status_code == 404
    assert rule["id"] not in [r["id"] for r in tenant.admin.get("/api/v1/rules").json["items"]]
    assert levels_of(tenant, rule) == {}
    closed = tenant.admin.get(f"/api/v1/alerts?rule_id={rule['id']}&closed=true").json["items"]
    assert {a["close_reason"] for a in closed} == {"rule archived"} and len(closed) == 2

    # The record changes no longer reach the archived rule; its key is free again.
    add_batch(tenant, form, "R2", 5)
    assert tenant.admin.get(f"/api/v1/alerts?rule_id={rule['id']}").json["total"] == 0
    again = tenant.admin.post(
        "/api/v1/rules", json={"key": rule["key"], "label": {"zh": "新"}, "draft": rule["draft"]}
    )
    assert again.status_code == 201, again.json

    entries = tenant.admin.get(
        f"/api/v1/audit?object_type=rules&object_id={rule['id']}&action=delete"
    ).json["items"]
    assert len(entries) == 1 and entries[0]["diff"]["closed_alerts"] == [None, 2]


def test_only_designers_may_archive(tenant):
    _, rule = setup_rule(tenant)
    reader = tenant.user_client("reader")
    assert reader.delete(f"/api/v1/rules/{rule['id']}").status_code == 403
    assert tenant.admin.get(f"/api/v1/rules/{rule['id']}").status_code == 200


def test_summary_honours_the_list_filters(tenant):
    form, rule = setup_rule(tenant)
    add_batch(tenant, form, "E-Y", 45, qty=3)
    add_batch(tenant, form, "E-R", 10, qty=4)
    add_batch(tenant, form, "S-R", 10, qty=5, warehouse="south")
    _, other = setup_rule(tenant)  # a second rule on another form: none of its alerts

    def counts(query: str) -> dict:
        response = tenant.admin.get(f"/api/v1/alerts/summary?{query}")
        assert response.status_code == 200, response.json
        return {k: (v["count"], v["quantity"]) for k, v in response.json["levels"].items()}

    base = f"rule_id={rule['id']}"
    assert counts(base) == {"expired": (0, "0"), "red": (2, "9"), "yellow": (1, "3")}
    south = counts(f"{base}&warehouse=south")
    assert south == {"expired": (0, "0"), "red": (1, "5"), "yellow": (0, "0")}
    assert counts(f"{base}&level=yellow")["yellow"] == (1, "3")
    assert counts(f"{base}&level=yellow")["red"] == (0, "0")
    assert counts(f"rule_id={other['id']}")["red"] == (0, "0")
    listed = tenant.admin.get(f"/api/v1/alerts?{base}&warehouse=south").json["total"]
    assert listed == south["red"][0]
    assert tenant.admin.get("/api/v1/alerts/summary?level=green").status_code == 422


def test_a_batch_two_rules_watch_counts_once_at_its_most_urgent_level(tenant):
    form, _ = setup_rule(tenant)
    days = rule_definition(form["key"], metric="remaining_days", levels={"red": 5, "yellow": 50})
    second = tenant.admin.post(
        "/api/v1/rules",
        json={"key": f"days_{form['key']}", "label": {"zh": "剩余天数"}, "draft": days},
    )
    assert second.status_code == 201, second.json
    assert tenant.admin.post(f"/api/v1/rules/{second.json['id']}/publish").status_code == 201
    add_batch(tenant, form, "BOTH-R", 10, qty=4)  # red by share, yellow by days
    add_batch(tenant, form, "ONE-Y", 45, qty=3)  # yellow by share, yellow by days
    assert tenant.admin.get("/api/v1/alerts").json["total"] == 4

    summary = tenant.admin.get("/api/v1/alerts/summary").json["levels"]
    counts = {k: (v["count"], v["quantity"]) for k, v in summary.items()}
    assert counts == {"expired": (0, "0"), "red": (1, "4"), "yellow": (1, "3")}
    yellow = tenant.admin.get("/api/v1/alerts/summary?level=yellow").json["levels"]
    assert (yellow["yellow"]["count"], yellow["red"]["count"]) == (1, 0)
