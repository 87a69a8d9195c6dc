"""The FEFO part of a ledger setting: what is checked when a form is saved, and which moves
must take from the first-expiring batch."""

from __future__ import annotations

from form_engine import ledger

KINDS = {"in": ["inbound"], "out": ["sale", "scrap"]}


def _meta(**fefo) -> dict:
    return {
        "fields": [
            {"key": "batch", "type": "relation", "relation": {"form": "lot", "display": "no"}},
            {"key": "qty", "type": "integer"},
            {
                "key": "kind",
                "type": "select",
                "options": [{"value": v} for v in ("inbound", "sale", "scrap")],
            },
            {"key": "why", "type": "text"},
            {"key": "when", "type": "date"},
        ],
        "ledger": {
            "relation": "batch",
            "quantity": "qty",
            "target": "on_hand",
            "direction": {"field": "kind", **KINDS},
            "fefo": {"order_by": "expiry", "reason": "why", **fefo},
        },
    }


LOT = {
    "fields": [
        {"key": "no", "type": "text"},
        {"key": "on_hand", "type": "integer"},
        {"key": "expiry", "type": "date"},
        {"key": "sku", "type": "text"},
        {"key": "note", "type": "textarea"},
    ]
}


def test_a_sound_setting_has_no_problems():
    meta = _meta(kinds=["sale"], same=["sku"])
    assert ledger.problems(meta) == {}
    assert ledger.fefo_target_problems(meta, LOT) == {}


def test_kinds_must_move_stock_out_and_the_reason_must_be_text():
    meta = _meta(kinds=["inbound", "lost"], reason="when")
    assert ledger.problems(meta) == {
        "ledger.fefo.kinds": [
            "'inbound' is not an option that moves stock out.",
            "'lost' is not an option that moves stock out.",
        ],
        "ledger.fefo.reason": ["'when' is not a text field of this form."],
    }


def test_the_order_and_the_fields_compared_belong_to_the_batch_form():
    assert ledger.fefo_target_problems(_meta(order_by="note", same=["sku", "colour"]), LOT) == {
        "ledger.fefo.order_by": [
            "'note' is not a date or number field of the form 'batch' points at."
        ],
        "ledger.fefo.same": ["'colour' is not a field of the form 'batch' points at."],
    }


def test_which_moves_must_take_the_earliest_batch():
    setting = _meta(kinds=["sale"])["ledger"]
    sale = {"batch": 1, "qty": 3, "kind": "sale"}
    assert ledger.fefo_applies(setting, None, sale)
    assert not ledger.fefo_applies(setting, None, {**sale, "why": "customer asked"})
    assert ledger.fefo_applies(setting, None, {**sale, "why": "   "})  # blank is no reason
    assert not ledger.fefo_applies(setting, None, {**sale, "kind": "scrap"})  # not a pick
    assert not ledger.fefo_applies(setting, None, {**sale, "kind": "inbound"})
    assert not ledger.fefo_applies(setting, None, {**sale, "_deleted": True})
    # an edit that leaves batch, quantity and kind alone is not checked again
    assert not ledger.fefo_applies(setting, sale, {**sale, "note": "x"})
    assert ledger.fefo_applies(setting, sale, {**sale, "batch": 2})
    # without kinds, every move out is a pick
    every = _meta()["ledger"]
    assert ledger.fefo_applies(every, None, {**sale, "kind": "scrap"})
