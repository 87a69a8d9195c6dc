"""Connectors, deliveries, ERP syncs and inbound hooks made through the API as the
administrator makes them; a delivery attempted and a sync run as the worker does it."""

from __future__ import annotations

import json
import time
import uuid

from app.connectors import deliveries
from app.connectors.environment import environment
from app.extensions import db
from app.integrations import sync
from connectors.webhook import sign, verify
from tests.forms_fixtures import make_form
from tests.unit.connectors.erp_peers import KingdeePeer

#: the settings each connector type is made with unless a test says otherwise
CONNECTOR_CONFIGS = {
    "webhook": {"url": "https://hooks.example.com/in", "secret": "whsec-0123456789abcdef"},
    "dingtalk_robot": {"webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=T"},
    "kingdee": {
        # a private address: without an allowlist every call to it fails at once
        "base_url": "http://10.0.0.8/k3cloud",
        "acct_id": "62a1",
        "username": "api",
        "password": "p@ss",
    },
}

#: a form of stock lots, as an ERP sync fills it
LOT_FIELDS = [
    {"key": "lot_no", "type": "text", "label": "批号", "required": True},
    {"key": "sku", "type": "text", "label": "物料"},
    {"key": "warehouse", "type": "text", "label": "仓库"},
    {"key": "qty", "type": "decimal", "label": "数量"},
    {"key": "produced", "type": "date", "label": "生产日期"},
    {"key": "expiry", "type": "date", "label": "到期日"},
]
#: Kingdee's inventory columns into ``LOT_FIELDS``
KINGDEE_MAPPING = {
    "lot_no": "FLot.FNumber",
    "sku": "FMaterialId.FNumber",
    "warehouse": "FStockId.FNumber",
    "qty": "FBaseQty",
    "produced": {"template": "{{ row.FProduceDate[:10] }}"},
    "expiry": {"template": "{{ row.FExpiryDate[:10] }}"},
}
#: what ``make_hook`` takes from a posted lot
HOOK_MAPPING = {
    "batch_no": "$.lot.no",
    "qty": "$.lot.qty",
    "sku": "sku",
    "warehouse": {"template": "{{ row.wh | lower }}"},
}
#: what another system posts to a hook made by ``make_hook``
LOT = {"lot": {"no": "L20261101", "qty": 120}, "sku": "MILK-1L", "wh": "EAST"}


def make_connector(tenant, key: str = "erp_hook", type_: str = "webhook", **config) -> dict:
    """A connector of ``type_``, its usual settings overridden by ``config``."""
    body = {
        "key": key,
        "type": type_,
        "label": {"zh": key},
        "config": {**CONNECTOR_CONFIGS.get(type_, {}), **config},
    }
    response = tenant.admin.post("/api/v1/connectors", json=body)
    assert response.status_code == 201, response.json
    return response.json


def make_kingdee(tenant, kd: KingdeePeer | None = None, key: str = "kingdee", **config) -> dict:
    """A Kingdee connector, answered by ``kd`` when given, else at an address never reached."""
    reach = {"base_url": kd.base} if kd else {}
    return make_connector(tenant, key, "kingdee", **reach, **config)


def queue_event(tenant, connector: dict, key: str) -> dict:
    """A post_event delivery queued to ``connector`` under the idempotency ``key``."""
    response = tenant.admin.post(
        f"/api/v1/connectors/{connector['id']}/deliveries",
        json={"action": "post_event", "inputs": {"event": "e", "data": {}}, "idempotency_key": key},
    )
    assert response.status_code == 202, response.json
    return response.json


def attempt_delivery(app, delivery_id: int) -> tuple:
    """One attempt at a delivery, as the worker makes it; its status and next try."""
    with app.app_context():
        result = deliveries.attempt(db.session, environment(app), delivery_id)
        db.session.remove()
    return result


def kingdee_lot(number: str | None, warehouse: str, qty: float, sku: str = "MILK-1L") -> dict:
    """A stock lot row as Kingdee's inventory query returns it."""
    return {
        "FMaterialId.FNumber": sku,
        "FLot.FNumber": number,
        "FStockId.FNumber": warehouse,
        "FBaseQty": qty,
        "FProduceDate": "2026-11-01T00:00:00",
        "FExpiryDate": "2026-12-01T00:00:00",
    }


def sync_body(connector: dict, form: dict, **extra) -> dict:
    """The settings of a nightly pull of Kingdee stock lots into ``form``."""
    return {
        "key": "lots",
        "label": {"zh": "金蝶库存批次"},
        "connector_id": connector["id"],
        "action": "query_lots",
        "inputs": {"filter": "FBaseQty > 0", "limit": 2, "all_pages": True},
        "form_id": form["id"],
        "mapping": KINGDEE_MAPPING,
        "key_fields": ["lot_no", "warehouse"],
        "schedule": "0 2 * * *",
        **extra,
    }


def make_sync(tenant, connector: dict, form: dict | None = None, **extra) -> dict:
    """A pull of stock lots from ``connector`` into ``form`` (a new lot form if not given)."""
    form = form or make_form(tenant, fields=LOT_FIELDS)
    response = tenant.admin.post(
        "/api/v1/connector-syncs", json=sync_body(connector, form, **extra)
    )
    assert response.status_code == 201, response.json
    return response.json


def run_now(app, sync_id: int) -> str:
    """One run of a sync, started by hand and finished before this returns; its status."""
    with app.app_context():
        status = sync.run_sync(db.session, environment(app), sync_id, "manual").status
        db.session.remove()
    return status


def app_id_of(tenant) -> int:
    """The id of the tenant's app, the one ``make_form`` puts forms in."""
    return tenant.admin.get("/api/v1/apps").json["items"][0]["id"]


def make_hook(tenant, form: dict, **extra) -> dict:
    """An inbound hook that upserts ``form``'s records by batch number from posted lots."""
    body = {
        "key": "erp_lots",
        "label": {"zh": "ERP 批次"},
        "action": "upsert_record",
        "form_id": form["id"],
        "mapping": HOOK_MAPPING,
        "key_fields": ["batch_no"],
        **extra,
    }
    response = tenant.admin.post(f"/api/v1/apps/{app_id_of(tenant)}/inbound-hooks", json=body)
    assert response.status_code == 201, response.json
    return response.json


def call_hook(
    tenant,
    hook: dict,
    payload: dict | bytes,
    secret: str | None = None,
    delivery: str | None = None,
    timestamp: int | None = None,
    **headers: str,
):
    """A signed call to ``hook`` from another system (no session, no token); the response."""
    body = (
        json.dumps(payload, ensure_ascii=False).encode()
        if not isinstance(payload, bytes)
        else payload
    )
    timestamp = int(time.time()) if timestamp is None else timestamp
    return tenant.client().post(
        hook["url"].replace("http://localhost", ""),
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-GreenShelf-Timestamp": str(timestamp),
            "X-GreenShelf-Signature": sign(secret or hook["secret"], timestamp, body),
            "X-GreenShelf-Delivery": delivery or uuid.uuid4().hex,
            **headers,
        },
    )


def system_emails(tenant) -> list[dict]:
    """The emails rules and flows queued: deliveries of the system email connector, oldest
    first, as the delivery log shows them."""
    items = tenant.admin.get("/api/v1/deliveries?page_size=500").json["items"]
    return [d for d in reversed(items) if d["connector_key"] == "system_email"]


def deliver_all(app, tenant) -> None:
    """Attempt every pending delivery of the tenant, oldest first, as the worker would."""
    rows = tenant.admin.get("/api/v1/deliveries?status=pending&page_size=500").json["items"]
    for row in reversed(rows):
        attempt_delivery(app, row["id"])


def received_events(peer, secret: str, path: str = "/events") -> list[dict]:
    """The events ``peer`` received at ``path``, each signature checked with ``secret``."""
    out = []
    for request in peer.requests:
        if request["path"] != path:
            continue
        headers = request["headers"]
        verify(
            secret,
            headers["X-GreenShelf-Timestamp"],
            request["body"],
            headers["X-GreenShelf-Signature"],
            now=time.time(),
        )
        out.append(json.loads(request["body"]))
    return out
