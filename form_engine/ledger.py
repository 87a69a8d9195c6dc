"""A form whose records post a quantity to a related record: a stock ledger.

A form's metadata may say ``"ledger": {"relation": "batch", "quantity": "qty", "target":
"on_hand", "direction": ...}``: each record moves ``quantity`` into (or out of) the field
``target`` of the record its relation field ``relation`` points at. ``direction`` is
``"in"`` or ``"out"`` for every record of the form, or ``{"field": "kind", "in": [...],
"out": [...]}`` to read it from a choice field (a value in neither list posts nothing).

A form may also say ``"limit": {"relation": "batch", "quantity": "qty", "within":
"on_hand"}``: a record that posts nothing itself (a disposal order, an internal purchase)
may not ask for more than the related record holds, checked when it is created and when
its quantity or relation change.

A ledger may also say ``"fefo": {"order_by": "expiry", "same": ["sku", "warehouse"],
"kinds": ["sale"], "reason": "fefo_reason"}``: first expired, first out. A move of one of
``kinds`` (every move out when left out) that takes from a record while another record
with the same ``same`` fields, still holding some, comes earlier by ``order_by`` is
refused unless its ``reason`` field says why.

This module says what a ledger setting means (``schema`` checks its shape): the checks a
form's own fields allow, and what one record posts (``effect``). Posting itself, under
the related record's lock and through the record write path, belongs to the platform
(``app.forms.ledger``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from form_engine.fields import field_type

CHOICE_TYPES = ("select", "radio")
NUMBER_TYPES = ("integer", "decimal")
TEXT_TYPES = ("text", "textarea")
ORDERED_TYPES = ("date", "datetime", "integer", "decimal")


@dataclass(frozen=True)
class Effect:
    """What one record posts: ``quantity`` (signed: + in, - out) to record ``target_id``."""

    target_id: int
    quantity: Decimal


def problems(meta: dict) -> dict[str, list[str]]:
    """What is wrong with the form's ledger setting, by path, given the form's own fields.

    The target field lives on another form; ``target_problems`` checks it against that
    form's fields when the form is published.
    """
    ledger = meta.get("ledger")
    if not ledger:
        return {}
    fields = {f["key"]: f for f in meta["fields"] if not f.get("removed")}
    found: dict[str, list[str]] = {}

    def add(path: str, message: str) -> None:
        found.setdefault(f"ledger.{path}", []).append(message)

    relation = fields.get(ledger["relation"])
    if relation is None or relation["type"] != "relation":
        add("relation", f"'{ledger['relation']}' is not a relation field of this form.")
    quantity = fields.get(ledger["quantity"])
    if quantity is None or _number_kind(quantity) is None:
        add("quantity", f"'{ledger['quantity']}' is not a number field of this form.")
    direction = ledger["direction"]
    if isinstance(direction, dict):
        choice = fields.get(direction["field"])
        if choice is None or choice["type"] not in CHOICE_TYPES:
            add("direction.field", f"'{direction['field']}' is not a choice field of this form.")
        else:
            options = {str(o["value"]) for o in choice.get("options", [])}
            ins, outs = _names(direction.get("in")), _names(direction.get("out"))
            for side, values in (("in", ins), ("out", outs)):
                for value in sorted(values - options):
                    add(f"direction.{side}", f"'{value}' is not an option of '{choice['key']}'.")
            for value in sorted(ins & outs):
                add("direction", f"'{value}' cannot move stock both in and out.")
            if not ins and not outs:
                add("direction", "Name the options that move stock in or out.")
            for value in sorted(_names((ledger.get("fefo") or {}).get("kinds")) - outs):
                add("fefo.kinds", f"'{value}' is not an option that moves stock out.")
    elif (ledger.get("fefo") or {}).get("kinds") and direction != "out":
        add("fefo.kinds", "This form's moves all go in: none is picked first-expired-first.")
    fefo = ledger.get("fefo")
    if fefo:
        reason = fields.get(fefo["reason"])
        if reason is None or reason["type"] not in TEXT_TYPES:
            add("fefo.reason", f"'{fefo['reason']}' is not a text field of this form.")
    return found


def limit_problems(meta: dict) -> dict[str, list[str]]:
    """What is wrong with the form's limit setting, by path, given the form's own fields."""
    limit = meta.get("limit")
    if not limit:
        return {}
    fields = {f["key"]: f for f in meta["fields"] if not f.get("removed")}
    found: dict[str, list[str]] = {}
    relation = fields.get(limit["relation"])
    if relation is None or relation["type"] != "relation":
        found["limit.relation"] = [f"'{limit['relation']}' is not a relation field of this form."]
    quantity = fields.get(limit["quantity"])
    if quantity is None or _number_kind(quantity) is None:
        found["limit.quantity"] = [f"'{limit['quantity']}' is not a number field of this form."]
    return found


def limit_target_problems(meta: dict, target_meta: dict) -> dict[str, list[str]]:
    """Whether the limit's ``within`` is a number field of the related form."""
    limit = meta["limit"]
    within = next(
        (f for f in target_meta["fields"] if f["key"] == limit["within"] and not f.get("removed")),
        None,
    )
    if within is None or _number_kind(within) is None:
        message = f"'{limit['within']}' is not a number field of the form '{limit['relation']}' "
        return {"limit.within": [message + "points at."]}
    return {}


def limit_applies(limit: dict, before: dict | None, after: dict | None) -> bool:
    """Whether a write must be checked against the limit: a live record created, or its
    quantity or relation changed (a later edit of other fields is never refused because
    the related record holds less since)."""
    if not after or after.get("_deleted", after.get("_deleted_at")):
        return False
    if not isinstance(after.get(limit["relation"]), int) or after.get(limit["quantity"]) is None:
        return False
    if before is None:
        return True
    return any(before.get(k) != after.get(k) for k in (limit["relation"], limit["quantity"]))


def target_problems(meta: dict, target_meta: dict | None) -> dict[str, list[str]]:
    """Whether the ledger's target is a number field the related form's people type in."""
    ledger = meta.get("ledger")
    if not ledger or target_meta is None:
        return {}
    target = next(
        (f for f in target_meta["fields"] if f["key"] == ledger["target"] and not f.get("removed")),
        None,
    )
    if target is None or _number_kind(target) is None or field_type(target).computed:
        return {
            "ledger.target": [
                f"'{ledger['target']}' is not a number field of the form '{ledger['relation']}' "
                "points at."
            ]
        }
    return {}


def fefo_target_problems(meta: dict, target_meta: dict) -> dict[str, list[str]]:
    """Whether the FEFO order and the fields compared are fields of the related form."""
    fefo = (meta.get("ledger") or {}).get("fefo")
    if not fefo:
        return {}
    fields = {f["key"]: f for f in target_meta["fields"] if not f.get("removed")}
    found: dict[str, list[str]] = {}
    relation = meta["ledger"]["relation"]
    order = fields.get(fefo["order_by"])
    if order is None or field_type(order).expression_type(order) not in ORDERED_TYPES:
        message = f"'{fefo['order_by']}' is not a date or number field of the form "
        found["ledger.fefo.order_by"] = [message + f"'{relation}' points at."]
    for key in fefo.get("same") or []:
        if key not in fields:
            message = f"'{key}' is not a field of the form '{relation}' points at."
            found.setdefault("ledger.fefo.same", []).append(message)
    return found


def fefo_applies(ledger: dict, before: dict | None, after: dict | None) -> bool:
    """Whether a write must take from the first-expiring record: a live move out of one of
    the FEFO kinds, with no reason given, created or moved to another record or kind."""
    fefo = ledger.get("fefo")
    if not fefo or effect(ledger, after) is None or sign(ledger, after) != -1:
        return False
    if str(after.get(fefo["reason"]) or "").strip():
        return False
    direction = ledger["direction"]
    kinds = _names(fefo.get("kinds"))
    if kinds and isinstance(direction, dict) and str(after.get(direction["field"])) not in kinds:
        return False
    if before is None:
        return True
    keys = [ledger["relation"], ledger["quantity"], fefo["reason"]]
    if isinstance(direction, dict):
        keys.append(direction["field"])
    return any(before.get(k) != after.get(k) for k in keys)


def _number_kind(field: dict) -> str | None:
    kind = field_type(field)
    result = kind.expression_type(field)
    return result if result in NUMBER_TYPES and field["type"] != "rating" else None


def _names(values: Any) -> set[str]:
    return {str(v) for v in values or []}


def sign(ledger: dict, values: dict) -> int:
    """+1 when the record moves stock in, -1 out, 0 when it moves none."""
    direction = ledger["direction"]
    if not isinstance(direction, dict):
        return 1 if direction == "in" else -1
    value = values.get(direction["field"])
    if value is None:
        return 0
    if str(value) in _names(direction.get("in")):
        return 1
    if str(value) in _names(direction.get("out")):
        return -1
    return 0


def effect(ledger: dict, values: dict | None) -> Effect | None:
    """What a record with these values posts (None: nothing, or it is deleted)."""
    if not values or values.get("_deleted", values.get("_deleted_at")):
        return None  # a deleted record posts nothing: deleting one takes its posting back
    target, quantity = values.get(ledger["relation"]), values.get(ledger["quantity"])
    moved = sign(ledger, values)
    if not isinstance(target, int) or quantity in (None, "") or not moved:
        return None
    return Effect(target, Decimal(str(quantity)) * moved)


def net_change(ledger: dict, before: dict | None, after: dict | None) -> dict[int, Decimal]:
    """How much each related record's target moves when a record goes from ``before`` to
    ``after`` (either may be None): the new posting less the old one, zeros left out."""
    moves: dict[int, Decimal] = {}
    for values, factor in ((before, -1), (after, 1)):
        posted = effect(ledger, values)
        if posted is not None:
            moves[posted.target_id] = moves.get(posted.target_id, Decimal(0)) + (
                posted.quantity * factor
            )
    return {target: amount for target, amount in moves.items() if amount}
