"""Undoing the deletion of a connector, an inbound hook or an ERP sync: it comes back under
the key it had, switched off, with its history; never over a key another row took since."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from app.integrations import sync
from app.models import Connector
from app.models.base import utcnow
from tests.connectors_fixtures import (
    LOT,
    call_hook,
    make_connector,
    make_hook,
    make_kingdee,
    make_sync,
    queue_event,
    run_now,
)
from tests.forms_fixtures import make_form
from tests.rules_fixtures import BATCH

#: a key as long as keys may be: "~<id>~" in front of it cuts its end when it is deleted
LONG_KEY = "kingdee_inventory_lots_east_warehouse_1"
assert len(LONG_KEY) == 39


def _kingdee(tenant) -> dict:
    """The tenant's live Kingdee connector, made on first use: a sync made again after
    its first was deleted pulls from the same one."""
    connectors = tenant.admin.get("/api/v1/connectors").json["items"]
    live = [c for c in connectors if c["key"] == "kingdee"]
    return live[0] if live else make_kingdee(tenant)


def _a_connector(tenant) -> tuple[str, dict]:
    return "/api/v1/connectors", make_connector(tenant, "erp_hook")


def _a_hook(tenant) -> tuple[str, dict]:
    return "/api/v1/inbound-hooks", make_hook(tenant, make_form(tenant, fields=BATCH))


def _a_sync(tenant) -> tuple[str, dict]:
    return "/api/v1/connector-syncs", make_sync(tenant, _kingdee(tenant))


KINDS = pytest.mark.parametrize(
    "make", [_a_connector, _a_hook, _a_sync], ids=["connector", "hook", "sync"]
)


def _delete_and_restore(tenant, url: str) -> dict:
    assert tenant.admin.delete(url).status_code == 204
    restored = tenant.admin.post(f"{url}/restore")
    assert restored.status_code == 200, restored.json
    assert restored.json["enabled"] is False
    return restored.json


def test_a_restored_connector_has_its_key_and_deliveries_back_switched_off(tenant):
    connector = make_connector(tenant, "erp_hook")
    queued = queue_event(tenant, connector, "k1")
    url = f"/api/v1/connectors/{connector['id']}"

    restored = _delete_and_restore(tenant, url)

    assert restored == {
        "id": connector["id"],
        "key": "erp_hook",
        "enabled": False,
        "key_shortened": False,
    }
    again = tenant.admin.get(url).json
    assert (again["key"], again["enabled"], again["deleted"]) == ("erp_hook", False, False)
    assert [c["id"] for c in tenant.admin.get("/api/v1/connectors").json["items"]] == [
        connector["id"]
    ]
    log = tenant.admin.get(f"/api/v1/deliveries?connector_id={connector['id']}").json
    assert [(d["id"], d["connector_key"], d["connector_deleted"]) for d in log["items"]] == [
        (queued["id"], "erp_hook", False)
    ]
    audit = tenant.admin.get("/api/v1/audit?object_type=connectors").json["items"]
    assert any(e["action"] == "restore" and e["object_id"] == str(connector["id"]) for e in audit)


def test_a_restored_hook_remembers_what_it_received_once_switched_on(tenant):
    hook = make_hook(tenant, make_form(tenant, fields=BATCH))
    assert call_hook(tenant, hook, LOT, delivery="d-1").status_code == 200
    url = f"/api/v1/inbound-hooks/{hook['id']}"

    assert _delete_and_restore(tenant, url)["key"] == "erp_lots"

    assert call_hook(tenant, hook, LOT, delivery="d-2").status_code == 404  # still switched off
    shown = tenant.admin.get(url).json
    assert (shown["key"], shown["enabled"], shown["url"]) == ("erp_lots", False, hook["url"])
    assert tenant.admin.patch(url, json={"enabled": True}).status_code == 200
    repeat = call_hook(tenant, hook, LOT, delivery="d-1")  # the same secret, the same receipts
    assert repeat.status_code == 200 and repeat.headers["X-GreenShelf-Replay"] == "true"


def test_a_restored_sync_has_its_run_log_and_does_not_run_until_switched_on(tenant, app, app_db):
    pull = make_sync(tenant, _kingdee(tenant), schedule="* * * * *")
    assert run_now(app, pull["id"]) == "failed"  # the ERP is out of reach: logged as failed
    url = f"/api/v1/connector-syncs/{pull['id']}"

    assert _delete_and_restore(tenant, url)["key"] == "lots"

    assert tenant.admin.get(url).json["enabled"] is False
    assert [r["status"] for r in tenant.admin.get(f"{url}/runs").json["items"]] == ["failed"]
    later = utcnow() + timedelta(minutes=2)  # due every minute
    with app_db() as session:
        assert pull["id"] not in sync.claim_due(session, later)  # switched off: not run
    assert tenant.admin.patch(url, json={"enabled": True}).status_code == 200
    with app_db() as session:
        assert pull["id"] in sync.claim_due(session, later)


@KINDS
def test_a_key_taken_since_the_deletion_is_not_given_back(tenant, make):
    base, first = make(tenant)
    assert tenant.admin.delete(f"{base}/{first['id']}").status_code == 204
    _, second = make(tenant)  # the freed key, taken by a new one

    refused = tenant.admin.post(f"{base}/{first['id']}/restore")

    assert refused.status_code == 409, refused.json
    assert refused.json["code"] == "key_taken"
    assert list(refused.json["errors"]) == ["key"]
    assert tenant.admin.get(f"{base}/{first['id']}").status_code == 404  # still deleted
    assert tenant.admin.get(f"{base}/{second['id']}").json["key"] == first["key"]
    in_chinese = tenant.admin.post(
        f"{base}/{first['id']}/restore", headers={"Accept-Language": "zh-CN"}
    )
    assert in_chinese.json["errors"] == {"key": ["已被使用。"]}


@KINDS
def test_a_row_that_is_not_deleted_is_not_restored(tenant, make):
    base, row = make(tenant)
    refused = tenant.admin.post(f"{base}/{row['id']}/restore")
    assert refused.status_code == 409 and refused.json["code"] == "not_deleted"
    assert tenant.admin.get(f"{base}/{row['id']}").json["enabled"] is True


def test_a_long_key_comes_back_whole(tenant):
    connector = make_connector(tenant, LONG_KEY)
    url = f"/api/v1/connectors/{connector['id']}"
    assert tenant.admin.delete(url).status_code == 204
    cut = f"~{connector['id']}~{LONG_KEY}"[:40].removeprefix(f"~{connector['id']}~")
    make_connector(tenant, cut)  # what is left of the key once cut is another connector's now

    restored = tenant.admin.post(f"{url}/restore")

    assert restored.status_code == 200, restored.json
    assert (restored.json["key"], restored.json["key_shortened"]) == (LONG_KEY, False)
    assert tenant.admin.get(url).json["key"] == LONG_KEY


def test_a_long_key_deleted_before_whole_keys_were_kept_comes_back_as_it_was_kept(tenant, app_db):
    long_one, short_one = make_connector(tenant, LONG_KEY), make_connector(tenant, "erp")
    for connector in (long_one, short_one):
        assert tenant.admin.delete(f"/api/v1/connectors/{connector['id']}").status_code == 204
    with app_db() as session:  # as deleted before the column existed: only the renamed key
        session.execute(update(Connector).values(deleted_key=None))
        session.commit()

    long_back = tenant.admin.post(f"/api/v1/connectors/{long_one['id']}/restore").json
    short_back = tenant.admin.post(f"/api/v1/connectors/{short_one['id']}/restore").json

    kept = f"~{long_one['id']}~{LONG_KEY}"[:40].removeprefix(f"~{long_one['id']}~")
    assert (long_back["key"], long_back["key_shortened"]) == (kept, True)
    assert LONG_KEY.startswith(kept) and len(kept) < len(LONG_KEY)
    assert (short_back["key"], short_back["key_shortened"]) == ("erp", False)


def test_a_sync_is_not_restored_while_its_connector_is_deleted(tenant):
    kingdee = _kingdee(tenant)
    pull = make_sync(tenant, kingdee)
    url = f"/api/v1/connector-syncs/{pull['id']}"
    assert tenant.admin.delete(url).status_code == 204
    assert tenant.admin.delete(f"/api/v1/connectors/{kingdee['id']}").status_code == 204

    refused = tenant.admin.post(f"{url}/restore")

    assert refused.status_code == 409 and refused.json["code"] == "connector_deleted"
    assert list(refused.json["errors"]) == ["connector_id"]
    assert tenant.admin.post(f"/api/v1/connectors/{kingdee['id']}/restore").status_code == 200
    assert tenant.admin.post(f"{url}/restore").status_code == 200


@KINDS
def test_restoring_needs_the_permission(tenant, make):
    base, row = make(tenant)
    assert tenant.admin.delete(f"{base}/{row['id']}").status_code == 204
    clerk = tenant.user_client("clerk")
    assert clerk.post(f"{base}/{row['id']}/restore").status_code == 403
    assert tenant.admin.get(f"{base}/{row['id']}").status_code == 404  # still deleted


def test_the_connector_list_names_deleted_connectors_only_when_asked(tenant):
    kept, gone = make_connector(tenant, "ops_hook"), make_connector(tenant, LONG_KEY)
    assert tenant.admin.delete(f"/api/v1/connectors/{gone['id']}").status_code == 204

    live = tenant.admin.get("/api/v1/connectors").json["items"]
    every = tenant.admin.get("/api/v1/connectors?include_deleted=true").json["items"]

    assert [c["id"] for c in live] == [kept["id"]]
    assert [(c["id"], c["key"], c["deleted"], c["enabled"]) for c in every] == [
        (kept["id"], "ops_hook", False, True),
        (gone["id"], LONG_KEY, True, False),
    ]
    clerk = tenant.user_client("clerk")
    assert clerk.get("/api/v1/connectors?include_deleted=true").status_code == 403
