"""ERP glue: stock lots pulled on a schedule from Kingdee or Yonyou into a form (mapped,
upserted by lot + warehouse, every run logged), and disposal documents pushed back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.integrations import sync
from app.models.base import utcnow
from tests.connectors_fixtures import (
    LOT_FIELDS,
    attempt_delivery,
    kingdee_lot,
    make_connector,
    make_kingdee,
    make_sync,
    run_now,
    sync_body,
)
from tests.forms_fixtures import make_form, records_url
from tests.unit.connectors.erp_peers import KingdeePeer, YonyouPeer


def _yonyou(tenant, peer, **extra) -> dict:
    secrets = {"app_key": "ak1", "app_secret": "yy-secret"}
    return make_connector(tenant, "yonyou", "yonyou", base_url=peer.url, **secrets, **extra)


@pytest.fixture
def kd(peer) -> KingdeePeer:
    return KingdeePeer(peer)


@pytest.fixture
def lot_form(tenant) -> dict:
    return make_form(tenant, fields=LOT_FIELDS)


def _records(tenant, form) -> dict:
    items = tenant.admin.get(f"{records_url(form)}?page_size=100").json["items"]
    return {(r["lot_no"], r["warehouse"]): r for r in items}


def test_kingdee_lots_are_pulled_and_upserted_by_lot_and_warehouse(
    tenant, app, kd, lot_form, allow_loopback
):
    kd.lots = [kingdee_lot("L1101", "CK001", 120.0), kingdee_lot("L1101", "CK002", 48.0)]
    lots = make_sync(tenant, make_kingdee(tenant, kd), lot_form)

    assert run_now(app, lots["id"]) == "succeeded"
    records = _records(tenant, lot_form)
    assert set(records) == {("L1101", "CK001"), ("L1101", "CK002")}
    first = records[("L1101", "CK001")]
    assert (first["sku"], first["produced"], first["expiry"]) == (
        "MILK-1L",
        "2026-11-01",
        "2026-12-01",
    )
    assert float(first["qty"]) == 120

    kd.lots = [
        kingdee_lot("L1101", "CK001", 100.0),  # sold 20
        kingdee_lot("L1101", "CK002", 48.0),  # as it was
        kingdee_lot("L1202", "CK001", 12.0),  # new lot
        {**kingdee_lot(None, "CK001", 5.0)},  # no lot number: refused, the others go on
    ]
    assert run_now(app, lots["id"]) == "partial"
    records = _records(tenant, lot_form)
    assert len(records) == 3 and float(records[("L1101", "CK001")]["qty"]) == 100
    runs = tenant.admin.get(f"/api/v1/connector-syncs/{lots['id']}/runs").json["items"]
    latest, earlier = runs[0], runs[1]
    assert (earlier["status"], earlier["fetched"], earlier["created"]) == ("succeeded", 2, 2)
    assert (latest["created"], latest["updated"], latest["unchanged"], latest["failed"]) == (
        1,
        1,
        1,
        1,
    )
    assert latest["errors"][0]["row"] == 3 and "lot_no" in latest["errors"][0]["errors"]
    assert latest["trigger"] == "manual" and latest["finished_at"]
    assert kd.sessions == ["S0"]  # one login served both runs


def test_a_failed_pull_is_logged_and_changes_nothing(tenant, app, kd, lot_form, allow_loopback):
    lots = make_sync(tenant, make_kingdee(tenant, kd, password="wrong"), lot_form)
    assert run_now(app, lots["id"]) == "failed"
    [run] = tenant.admin.get(f"/api/v1/connector-syncs/{lots['id']}/runs").json["items"]
    assert "用户名或密码错误" in run["message"]
    assert tenant.admin.get(records_url(lot_form)).json["total"] == 0


def test_yonyou_stock_is_pulled_too(tenant, app, peer, lot_form, allow_loopback):
    yy = YonyouPeer(peer)
    yy.stock = [
        {"product_cCode": "CHIPS", "batchno": "B7", "warehouse_name": "华南仓", "currentqty": 30},
    ]
    stock = make_sync(
        tenant,
        _yonyou(tenant, peer),
        lot_form,
        action="query_stock",
        inputs={"condition": {"org": "A01"}},
        mapping={
            "lot_no": "$.batchno",
            "sku": "$.product_cCode",
            "warehouse": "$.warehouse_name",
            "qty": "$.currentqty",
        },
    )
    assert run_now(app, stock["id"]) == "succeeded"
    assert float(_records(tenant, lot_form)[("B7", "华南仓")]["qty"]) == 30


def test_the_schedule_claims_each_due_sync_once(tenant, app, kd, lot_form, allow_loopback):
    lots = make_sync(tenant, make_kingdee(tenant, kd), lot_form, schedule="*/5 * * * *")
    with app.app_context():
        assert lots["id"] not in sync.claim_due(db.session, utcnow())  # not yet
        later = utcnow() + timedelta(minutes=6)
        assert lots["id"] in sync.claim_due(db.session, later)
        assert lots["id"] not in sync.claim_due(db.session, later)  # claimed already
        db.session.remove()
    queued = tenant.admin.post(f"/api/v1/connector-syncs/{lots['id']}/runs")
    assert queued.status_code == 202


@pytest.mark.parametrize(
    "change, path",
    [
        ({"action": "drop_tables"}, "action"),
        ({"schedule": "every day"}, "schedule"),
        ({"mapping": {"nope": "FLot.FNumber"}, "key_fields": ["lot_no"]}, "mapping.nope"),
        ({"key_fields": ["expiry_code"]}, "key_fields.0"),
        ({"rows_path": "$.rows[?"}, "rows_path"),
    ],
)
def test_bad_sync_settings_are_refused_with_paths(tenant, kd, lot_form, change, path):
    body = sync_body(make_kingdee(tenant, kd), lot_form, **change)
    response = tenant.admin.post("/api/v1/connector-syncs", json=body)
    assert response.status_code == 422, response.json
    assert path in response.json["errors"]


def _push(tenant, connector, inputs: dict, key: str) -> dict:
    """Queue a push_record delivery to the connector."""
    queued = tenant.admin.post(
        f"/api/v1/connectors/{connector['id']}/deliveries",
        json={"action": "push_record", "inputs": inputs, "idempotency_key": key},
    )
    assert queued.status_code == 202, queued.json
    return queued.json


DISPOSAL = {"lot_no": "L1101", "sku": "MILK-1L", "warehouse": "CK001", "qty": "120.0000"}


def test_a_disposal_is_pushed_to_kingdee_as_a_saved_and_submitted_bill(
    tenant, app, kd, allow_loopback
):
    bills = {
        "transfer": {
            "form_id": "STK_TransferDirect",
            "submit": True,
            "model": {
                "FBillTypeID": {"FNumber": "ZJDB01_SYS"},
                "FNote": "临期处置 {{ record.lot_no }}",
                "FBillEntry": [
                    {
                        "FMaterialId": {"FNumber": "{{ record.sku }}"},
                        "FLot": {"FNumber": "{{ record.lot_no }}"},
                        "FSrcStockId": {"FNumber": "{{ record.warehouse }}"},
                        "FDestStockId": {"FNumber": "CK-DISPOSAL"},
                        "FQty": "{{ record.qty | float }}",
                    }
                ],
            },
        }
    }
    connector = make_kingdee(tenant, kd, bills=bills)
    inputs = {"bill": "transfer", "variables": {"record": DISPOSAL}}
    delivery = _push(tenant, connector, inputs, "disposal-1-transfer")
    assert attempt_delivery(app, delivery["id"]) == ("succeeded", None)
    [saved] = kd.saved
    assert saved["formid"] == "STK_TransferDirect"
    entry = saved["model"]["FBillEntry"][0]
    assert entry["FQty"] == 120.0 and entry["FLot"] == {"FNumber": "L1101"}
    assert saved["model"]["FNote"] == "临期处置 L1101"
    assert kd.submitted == [["ZJDB000001"]]
    log = tenant.admin.get("/api/v1/deliveries").json["items"][0]
    assert '"number": "ZJDB000001"' in log["response_excerpt"]


def test_a_bill_mapping_that_breaks_is_a_dead_letter_not_a_retry(tenant, app, kd, allow_loopback):
    bills = {"x": {"form_id": "STK_TransferDirect", "model": {"FBillEntry": "{{ record.nope }}"}}}
    connector = make_kingdee(tenant, kd, bills=bills)
    delivery = _push(tenant, connector, {"bill": "x", "variables": {"record": DISPOSAL}}, "x-1")
    assert attempt_delivery(app, delivery["id"]) == ("dead", None)
    assert kd.saved == []
    dead = tenant.admin.get("/api/v1/deliveries?status=dead").json["items"][0]
    assert dead["attempts"] == 1 and "nope" in dead["last_error"]


def test_a_disposal_is_pushed_to_yonyou_through_a_document_mapping(
    tenant, app, peer, allow_loopback
):
    yy = YonyouPeer(peer)
    documents = {
        "other_out": {
            "data": {
                "bustype": "A10001",
                "warehouse": "{{ record.warehouse }}",
                "details": [
                    {
                        "product": "{{ record.sku }}",
                        "batchno": "{{ record.lot_no }}",
                        "qty": "{{ record.qty | float }}",
                    }
                ],
            }
        }
    }
    connector = _yonyou(tenant, peer, documents=documents)
    inputs = {"document": "other_out", "variables": {"record": DISPOSAL}}
    delivery = _push(tenant, connector, inputs, "disposal-1-yonyou")
    assert attempt_delivery(app, delivery["id"]) == ("succeeded", None)
    assert yy.pushed == [
        {
            "bustype": "A10001",
            "warehouse": "CK001",
            "details": [{"product": "MILK-1L", "batchno": "L1101", "qty": 120.0}],
        }
    ]
