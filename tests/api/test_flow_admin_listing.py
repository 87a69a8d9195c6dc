"""An administrator lists every flow instance of the tenant, whoever started it: by flow,
status, initiator and start time, newest first, a page at a time with the total. Nobody
else may, and a bad filter names its field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

from tests.flows_fixtures import (
    Org,
    act,
    add_record,
    disposal_form,
    make_flow,
    start,
    todo,
    two_step_bpmn,
)

URL = "/api/v1/flow-admin/instances"


def _list(client, expect: int = 200, **query) -> dict:
    response = client.get(f"{URL}?{urlencode(query)}" if query else URL)
    assert response.status_code == expect, response.json
    return response.json


def _stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
def started(tenant):
    """Two flows of one form: the clerk starts two instances of the first, a stocker one of
    the second; the head approves the clerk's first one (a small quantity ends there)."""
    org = Org(tenant)
    form = disposal_form(tenant)
    first = make_flow(tenant, form, bpmn=two_step_bpmn(form["key"]))
    second = make_flow(tenant, form, bpmn=two_step_bpmn(form["key"]))
    stocker = tenant.add_user(
        "stocker", department_id=org.department_id, role_ids=[org.roles["clerk"]]
    )
    org.ids["stocker"] = stocker["id"]
    clerk, head = org.client("clerk"), org.client("head")
    done = start(clerk, first, add_record(clerk, form, qty=1))
    waiting = start(clerk, first, add_record(clerk, form, qty=2))
    stocker_client = org.client("stocker")
    other = start(stocker_client, second, add_record(stocker_client, form, qty=3))
    [task] = [t for t in todo(head) if t["instance_id"] == done["id"]]
    act(head, task, "approve")
    return {
        "org": org,
        "flows": (first, second),
        "instances": (done, waiting, other),
    }


def test_an_administrator_sees_everyone_s_instances_newest_first(tenant, started):
    done, waiting, other = started["instances"]
    first, second = started["flows"]
    page = _list(tenant.admin)
    assert page["total"] == 3 and (page["page"], page["page_size"]) == (1, 20)
    assert [i["id"] for i in page["items"]] == [other["id"], waiting["id"], done["id"]]
    row = page["items"][0]
    assert row["initiator_name"] == "stocker" and row["flow_name"] == second["name"]
    assert page["items"][1]["initiator_name"] == "clerk"
    assert row["version"] == 1 and row["status"] == "running"
    assert row["definition_id"] == second["id"]

    # the clerk's own listing still shows only what they started
    mine = started["org"].client("clerk").get("/api/v1/flow-instances").json
    assert {i["id"] for i in mine["items"]} == {done["id"], waiting["id"]}


def test_filters_narrow_the_list_and_the_total(tenant, started):
    done, waiting, other = started["instances"]
    first, second = started["flows"]
    org = started["org"]

    def ids(**query) -> list[int]:
        page = _list(tenant.admin, **query)
        assert page["total"] == len(page["items"])
        return [i["id"] for i in page["items"]]

    assert ids(flow_id=first["id"]) == [waiting["id"], done["id"]]
    assert ids(flow_id=second["id"]) == [other["id"]]
    assert ids(status="approved") == [done["id"]]
    assert ids(flow_id=first["id"], status="running") == [waiting["id"]]
    assert ids(initiator_id=org.ids["stocker"]) == [other["id"]]
    assert ids(initiator_id=org.ids["clerk"], status="running") == [waiting["id"]]
    assert ids(flow_id=999_999) == []

    now = datetime.now(UTC)
    window = {"created_from": _stamp(now - timedelta(hours=1)), "created_to": _stamp(now)}
    assert ids(**window) == [other["id"], waiting["id"], done["id"]]
    assert ids(created_from=_stamp(now + timedelta(minutes=5))) == []
    assert ids(created_to=_stamp(now - timedelta(hours=1))) == []


def test_pages_follow_each_other_and_keep_the_total(tenant, started):
    done, waiting, other = started["instances"]
    pages = [_list(tenant.admin, page=n, page_size=2) for n in (1, 2, 3)]
    assert [p["total"] for p in pages] == [3, 3, 3]
    assert [[i["id"] for i in p["items"]] for p in pages] == [
        [other["id"], waiting["id"]],
        [done["id"]],
        [],
    ]


def test_another_tenant_s_instances_never_show(tenant, make_tenant, started):
    stranger = make_tenant()
    assert _list(stranger.admin) == {"items": [], "total": 0, "page": 1, "page_size": 20}
    assert _list(tenant.admin)["total"] == 3


def test_only_someone_who_administers_flows_may_list_them(tenant, started):
    clerk = started["org"].client("clerk")
    refused = clerk.get(URL)
    assert refused.status_code == 403 and "apps.design" in refused.json["message"]
    plain = tenant.user_client("plain")
    assert plain.get(URL).status_code == 403

    role = tenant.admin.post(
        "/api/v1/roles",
        json={"name": "designer", "code": "designer", "permissions": ["apps.design"]},
    )
    designer = tenant.user_client("designer", role_ids=[role.json["id"]])
    assert _list(designer)["total"] == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"flow_id": "x"}, "query.flow_id"),
        ({"flow_id": 0}, "query.flow_id"),
        ({"status": "lost"}, "query.status"),
        ({"initiator_id": -3}, "query.initiator_id"),
        ({"created_from": "yesterday"}, "query.created_from"),
        (
            {"created_from": "2026-05-02T00:00:00Z", "created_to": "2026-05-01T00:00:00Z"},
            "query.created_to",
        ),
        ({"page": 0}, "query.page"),
        ({"page_size": 501}, "query.page_size"),
    ],
)
def test_a_bad_filter_is_refused_naming_its_field(tenant, query, field):
    body = _list(tenant.admin, expect=422, **query)
    assert field in body["errors"], body
