"""Forms, flows and the passing of time for service actions, incidents and timers."""

from __future__ import annotations

import itertools
from datetime import timedelta

from tests.forms_fixtures import make_form, records_url

_keys = itertools.count()

REQUEST_FIELDS = [
    {"key": "sku", "type": "text", "label": "SKU", "required": True},
    {"key": "qty", "type": "integer", "label": "数量"},
    {"key": "note", "type": "text", "label": "备注"},
    {"key": "owner", "type": "user", "label": "负责人"},
]
STOCK_FIELDS = [
    {"key": "sku", "type": "text", "label": "SKU", "required": True},
    {"key": "batch", "type": "text", "label": "批次号"},
    {"key": "qty", "type": "integer", "label": "库存", "validations": {"min": 0}},
    {"key": "expiry", "type": "date", "label": "到期日"},
]


def request_form(tenant) -> dict:
    return make_form(tenant, fields=REQUEST_FIELDS, key=f"request{next(_keys)}")


def stock_form(tenant) -> dict:
    return make_form(tenant, fields=STOCK_FIELDS, key=f"stock{next(_keys)}")


def add(client, form: dict, **values) -> dict:
    response = client.post(records_url(form), json=values)
    assert response.status_code == 201, response.json
    return response.json


def record(client, form: dict, record_id: int) -> dict:
    response = client.get(f"{records_url(form)}/{record_id}")
    assert response.status_code == 200, response.json
    return response.json


def flow_with(tenant, form: dict, chain: dict, key: str | None = None) -> dict:
    """A flow on ``form`` deployed from a simple-designer chain (after the initiator)."""
    admin = tenant.admin
    tree = {"type": "initiator", "child": chain}
    flow = admin.post(
        "/api/v1/flows",
        json={"key": key or f"svc{next(_keys)}", "name": "出库审批", "form_id": form["id"]},
    )
    assert flow.status_code == 201, flow.json
    version = admin.post(f"/api/v1/flows/{flow.json['id']}/versions", json={"tree": tree})
    assert version.status_code == 201, version.json
    return flow.json


def approver(child: dict | None = None, **extra) -> dict:
    return {
        "type": "approver",
        "id": "manager",
        "name": "主管",
        "assignee": "dept_head",
        "child": child,
        **extra,
    }


def action(name: str, inputs: dict, child: dict | None = None, **extra) -> dict:
    return {
        "type": "action",
        "name": name,
        "action": name,
        "inputs": inputs,
        "child": child,
        **extra,
    }


def history(client, instance_id: int) -> list[dict]:
    response = client.get(f"/api/v1/flow-instances/{instance_id}")
    assert response.status_code == 200, response.json
    return response.json["events"]


def later(tenant, seconds: float) -> list[str]:
    """Let ``seconds`` pass for the sweeper: fire every timer and retry every action of the
    tenant due by then, as the beat task would (in this process, on the same database)."""
    from app.extensions import db
    from app.flows import retries, sweeps, timers
    from app.models.base import utcnow

    outcomes = []
    with tenant.app.app_context():
        now = utcnow() + timedelta(seconds=seconds)
        for timer_id in timers.due_timers(db.session, now, tenant.id):
            outcomes.append(sweeps.fire_timer(db.session, timer_id, now=now))
        for run_id in retries.due_runs(db.session, now, tenant.id):
            outcomes.append(sweeps.run_action(db.session, run_id, retries.POLICY, now=now))
        db.session.remove()
    return outcomes
