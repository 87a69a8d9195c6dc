"""A rule action that starts a disposal approval, its record filled from the batch."""

from __future__ import annotations

import pytest

from tests.flows_fixtures import Org, disposal_form, instance, make_flow, todo
from tests.forms_fixtures import records_url
from tests.rules_fixtures import add_batch, batch_values, setup_rule

APPROVAL = {
    "type": "initiator",
    "child": {"type": "approver", "id": "finance", "name": "财务审核", "assignee": "role:finance"},
}
MAPPING = {
    "batch_no": {"var": "batch_no"},
    "qty": {"var": "qty"},
    "note": {"var": "sku"},
    "level": {"var": "_level"},
    "category": "A",
}


def _disposal(tenant):
    org = Org(tenant)
    form = disposal_form(tenant)
    flow = make_flow(tenant, form, tree=APPROVAL)
    return org, form, flow


def _start_flow(flow: dict, **extra) -> dict:
    return {"red": [{"type": "start_flow", "flow": flow["key"], "mapping": MAPPING, **extra}]}


def test_red_batch_starts_a_disposal_approval_once(tenant):
    org, disposal, flow = _disposal(tenant)
    form, rule = setup_rule(tenant, {"actions": _start_flow(flow)})
    batch = add_batch(tenant, form, "MILK-9", 10, sku="牛奶 1L", qty=36)

    started = tenant.admin.get(records_url(disposal)).json["items"]
    assert len(started) == 1
    record = started[0]
    assert (record["batch_no"], record["qty"], record["note"], record["level"]) == (
        "MILK-9",
        36,
        "牛奶 1L",
        "red",
    )
    assert record["category"] == "A" and record["_flow_instance_id"]
    running = instance(tenant.admin, record["_flow_instance_id"])
    assert running["status"] == "running"
    tasks = todo(org.client("accountant"))
    assert [t["instance_id"] for t in tasks] == [record["_flow_instance_id"]]

    # Nothing new on a rescan, nor when the batch changes without changing level.
    again = tenant.admin.post(f"/api/v1/rules/{rule['id']}/run").json
    assert again["fired"] == 0 and again["flows"] == 0
    url = f"{records_url(form)}/{batch['id']}"
    later = {"produced": batch_values(8)["produced"]}
    assert tenant.admin.patch(url, json={"row_version": 1, "values": later}).status_code == 200
    assert len(tenant.admin.get(records_url(disposal)).json["items"]) == 1
    assert len(todo(org.client("accountant"))) == 1


def test_a_yellow_batch_starts_nothing(tenant):
    _, disposal, flow = _disposal(tenant)
    form, _ = setup_rule(tenant, {"actions": _start_flow(flow)})
    add_batch(tenant, form, "CHIPS-1", 45)
    assert tenant.admin.get(records_url(disposal)).json["items"] == []


def test_the_flow_starts_as_the_named_initiator(tenant):
    org, disposal, flow = _disposal(tenant)
    actions = _start_flow(flow, initiator={"user": org.ids["clerk"]})
    form, _ = setup_rule(tenant, {"actions": actions})
    add_batch(tenant, form, "YOG-2", 3)
    record = tenant.admin.get(records_url(disposal)).json["items"][0]
    started = instance(tenant.admin, record["_flow_instance_id"])
    assert started["initiator_id"] == org.ids["clerk"]


@pytest.mark.parametrize(
    "action, path",
    [
        ({"flow": "no_such_flow"}, "actions.red.0.flow"),
        ({"mapping": {"colour": "red"}}, "actions.red.0.mapping.colour"),
        ({"mapping": {"qty": {"var": "weight"}}}, "actions.red.0.mapping.qty"),
        ({"mapping": None}, "actions.red.0.mapping"),
        ({"initiator": {"user": 999999}}, "actions.red.0.initiator.user"),
    ],
)
def test_a_bad_start_flow_action_is_refused_with_its_path(tenant, action, path):
    _, _, flow = _disposal(tenant)
    bad = {**_start_flow(flow)["red"][0], **action}
    bad = {k: v for k, v in bad.items() if v is not None}
    _, rule = setup_rule(tenant, {"actions": {"red": [bad]}}, publish=False)
    response = tenant.admin.post(f"/api/v1/rules/{rule['id']}/publish")
    assert response.status_code == 422, response.json
    assert path in response.json["errors"], response.json


def test_an_undeployed_flow_is_refused(tenant):
    form = disposal_form(tenant)
    flow = make_flow(tenant, form)  # created, never deployed
    _, rule = setup_rule(tenant, {"actions": _start_flow(flow)}, publish=False)
    response = tenant.admin.post(f"/api/v1/rules/{rule['id']}/publish")
    assert response.status_code == 422
    assert "actions.red.0.flow" in response.json["errors"]
