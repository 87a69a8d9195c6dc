"""Fields a new record takes from the record one of its relations points at.

A field may say ``"default_from": {"relation": "sku", "field": "shelf_days"}``: a new record
that leaves it empty takes the value of ``shelf_days`` of the record its relation field
``sku`` points at; a person may still type another. A batch takes its product's shelf
life, unit cost and category this way. The value is copied once, as the record is
created: a later change of the product does not reach its batches. The copy is made
before linkage, so formulas (the expiry reads the shelf life) and required checks see it.

``values.prepare`` and ``bulk.BulkPreparer`` call ``fill``; the directory reads the
related records (one query per field for a whole batch of rows).
"""

from __future__ import annotations

from typing import Any

EMPTY = (None, "", [])


def sources(fields: dict[str, dict]) -> dict[str, dict]:
    """Field key -> its ``default_from``, for the fields that have one."""
    return {k: f["default_from"] for k, f in fields.items() if f.get("default_from")}


def relations_used(fields: dict[str, dict]) -> set[str]:
    """The relation fields whose records some field is filled from."""
    return {spec["relation"] for spec in sources(fields).values()}


def problems(fields: list[dict]) -> dict[str, list[str]]:
    """Each ``default_from`` names a relation field of the same form."""
    relations = {f["key"] for f in fields if f["type"] == "relation" and not f.get("removed")}
    found: dict[str, list[str]] = {}
    for index, field in enumerate(fields):
        spec = field.get("default_from")
        if spec and spec.get("relation") not in relations:
            found[f"fields.{index}.default_from.relation"] = [
                f"'{spec.get('relation')}' is not a relation field of this form."
            ]
    return found


def target_problems(field: dict, target_meta: dict, target_key: str) -> list[str]:
    """The field copied from exists on the related form and holds the same kind of value."""
    spec = field["default_from"]
    source = next(
        (f for f in target_meta["fields"] if f["key"] == spec["field"] and not f.get("removed")),
        None,
    )
    if source is None:
        return [f"Form '{target_key}' has no field '{spec['field']}'."]
    same = source["type"] == field["type"] and (
        field["type"] != "relation" or source.get("relation") == field.get("relation")
    )
    if not same:
        return [f"'{spec['field']}' of form '{target_key}' is a {source['type']} field."]
    return []


def fill(
    fields: dict[str, dict], rows: list[tuple[dict, dict]], directory: Any, targets: dict
) -> None:
    """Copy each empty ``default_from`` field of each row (its values, its errors) from
    the related record. ``targets`` maps a relation field key to what it points at."""
    for key, spec in sources(fields).items():
        relation = spec["relation"]
        waiting = [
            m
            for m, e in rows
            if m.get(key) in EMPTY and isinstance(m.get(relation), int) and relation not in e
        ]
        if not waiting:
            continue
        ids = {m[relation] for m in waiting}
        found = directory.field_values(targets[relation], ids, spec["field"])
        for merged in waiting:
            value = found.get(merged[relation])
            if value not in EMPTY:
                merged[key] = value
