"""First expired, first out, in the expiry template: a sale taken from a later batch while an
earlier one of the same SKU and warehouse still holds stock is refused unless it says why;
an outbound order picks the batches by expiry through stock moves (never an expired one),
so the moves still add up to what is on hand; two orders at once never oversell."""

from __future__ import annotations

import json

import pytest

from tests.concurrency_fixtures import race
from tests.conftest import ADMIN_PASSWORD
from tests.expiry_fixtures import move, template_shop, url
from tests.rules_fixtures import tenant_today


@pytest.fixture
def shop(tenant, app):
    """One SKU: three batches in the first warehouse (expired, 20 and 40 days left) and one
    in the second (5 days left)."""
    batches = (
        ("EXPIRED", 0, -3, 8),
        ("EARLY", 0, 20, 10),
        ("LATE", 0, 40, 50),
        ("OTHER", 1, 5, 30),
    )
    return template_shop(tenant, app, batches)


def _on_hand(tenant, batch: int) -> int:
    return tenant.admin.get(f"{url(tenant, 'batch')}/{batch}").json["on_hand"]


def _moves_of(tenant, batch: int) -> list[dict]:
    query = {
        "filter": json.dumps({"==": [{"var": "batch"}, batch]}),
        "page_size": 100,
        "sort": "id",
    }
    return tenant.admin.get(url(tenant, "stock_move"), query_string=query).json["items"]


def test_a_sale_skipping_an_earlier_batch_needs_a_reason(shop):
    late, early = shop.batches["LATE"], shop.batches["EARLY"]
    refused = move(shop, late, "sale", 5)
    assert refused.status_code == 422, refused.json
    fields = refused.json["errors"]
    assert "expires earlier" in fields["batch"][0] and "EARLY-" in fields["batch"][0]
    assert fields["fefo_reason"] == ["Say why this move skips an earlier-expiring batch."]
    assert _on_hand(shop, late) == 50  # nothing posted

    zh = shop.admin.post(
        url(shop, "stock_move"),
        json={"batch": late, "kind": "sale", "qty": 5, "moved_on": tenant_today().isoformat()},
        headers={"Accept-Language": "zh-CN"},
    )
    assert zh.status_code == 422 and "更早到期" in zh.json["errors"]["batch"][0]

    given = move(shop, late, "sale", 5, fefo_reason="客户指定批次")
    assert given.status_code == 201, given.json
    assert _on_hand(shop, late) == 45

    # the earliest one is sold freely; the expired one ahead of it is not counted
    assert move(shop, early, "sale", 10).status_code == 201
    # once it is empty, the next one is the earliest
    assert move(shop, late, "sale", 5).status_code == 201
    assert _on_hand(shop, late) == 40
    # other kinds of move (a transfer of a red batch, a scrap) are not picks
    assert move(shop, shop.batches["EXPIRED"], "scrap", 8).status_code == 201


def test_a_batch_of_another_warehouse_is_not_ahead(shop):
    # OTHER expires first, but in the second warehouse: the first warehouse's earliest sells
    assert move(shop, shop.batches["EARLY"], "sale", 3).status_code == 201


def test_an_outbound_order_picks_by_expiry_through_moves(shop):
    order = shop.admin.post(
        url(shop, "outbound_order"),
        json={"sku": shop.sku, "warehouse": shop.warehouses[0], "qty": 25, "customer": "门店 7"},
    )
    assert order.status_code == 201, order.json
    picked = shop.admin.get(f"{url(shop, 'outbound_order')}/{order.json['id']}").json
    assert picked["status"] == "picked"
    batches = shop.batches
    # the expired batch is never picked; EARLY is emptied first, then LATE
    assert [_on_hand(shop, batches[n]) for n in ("EXPIRED", "EARLY", "LATE", "OTHER")] == [
        8,
        0,
        35,
        30,
    ]
    sales = [
        (m["batch"], m["qty"], m["reference"])
        for b in (batches["EARLY"], batches["LATE"])
        for m in _moves_of(shop, b)
        if m["kind"] == "sale"
    ]
    assert sales == [
        (batches["EARLY"], 10, picked["order_no"]),
        (batches["LATE"], 15, picked["order_no"]),
    ]
    # the moves still add up to what is on hand
    for batch in batches.values():
        moves = _moves_of(shop, batch)
        net = sum(m["qty"] if m["kind"] == "inbound" else -m["qty"] for m in moves)
        assert net == _on_hand(shop, batch)


def test_an_order_for_more_than_the_unexpired_stock_waits_and_takes_nothing(shop):
    order = shop.admin.post(
        url(shop, "outbound_order"),
        json={"sku": shop.sku, "warehouse": shop.warehouses[0], "qty": 61},
    )
    assert order.status_code == 201, order.json
    record = shop.admin.get(f"{url(shop, 'outbound_order')}/{order.json['id']}").json
    assert record["status"] == "open"  # the flow's service task waits for stock
    assert [_on_hand(shop, shop.batches[n]) for n in ("EXPIRED", "EARLY", "LATE")] == [8, 10, 50]


def test_two_orders_at_once_never_oversell(shop):
    def order(qty: int):
        def call():
            client = shop.client()
            assert client.login("admin", ADMIN_PASSWORD, shop.slug).status_code == 200
            return client.post(
                url(shop, "outbound_order"),
                json={"sku": shop.sku, "warehouse": shop.warehouses[0], "qty": qty},
            )

        return call

    answers = race([order(40), order(40)])
    assert all(a.status_code == 201 for a in answers), [a.json for a in answers]
    statuses = sorted(
        shop.admin.get(f"{url(shop, 'outbound_order')}/{a.json['id']}").json["status"]
        for a in answers
    )
    assert statuses == ["open", "picked"]  # 60 unexpired on hand: one of 40 fits
    early, late = (_on_hand(shop, shop.batches[n]) for n in ("EARLY", "LATE"))
    assert (early, late) == (0, 20)
