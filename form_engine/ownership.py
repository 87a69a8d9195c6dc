"""Which department a record belongs to, and which forms everyone may read.

Every record belongs to a department (its row's ``owner_department_id``); the data scope
"department" shows a person the records of their department and the departments below it.
By default a record belongs to its creator's department. A form may instead name the field
that decides it, ``"department_field"``: a department field names the department itself; a
relation field makes the record belong where the record it points at belongs (a batch to
its warehouse's region, a stock move to its batch's). An empty field leaves the creator's.
The department is decided when the record is written, and again when that field changes.

A form marked ``"shared": true`` holds reference data (products, categories, suppliers):
everyone who may read records reads all of its records, whatever their data scope, which
still limits the records of it they may change (``access.visible_rows``).

This module decides, it does not write: ``records`` and ``bulk_write`` store the result.
"""

from __future__ import annotations

from typing import Any

from engine_errors import ValidationError
from form_engine.access import Access
from form_engine.fields import field_type
from form_engine.fields.reference import ReferenceField

OWNING_TYPES = ("department", "relation")


def problems(meta: dict) -> dict[str, list[str]]:
    """What is wrong with the form's ``department_field``, given its fields."""
    key = meta.get("department_field")
    if not key:
        return {}
    field = next((f for f in meta["fields"] if f["key"] == key and not f.get("removed")), None)
    if field is None or field["type"] not in OWNING_TYPES:
        return {"department_field": [f"'{key}' is not a department or relation field."]}
    return {}


def owning_field(meta: dict) -> dict | None:
    key = meta.get("department_field")
    return next((f for f in meta["fields"] if f["key"] == key), None) if key else None


def owning_departments(meta: dict, rows: list[dict], directory: Any) -> list[int | None]:
    """For each row of stored values, the department it belongs to by the form's
    ``department_field`` (None: the creator's, as when the form names none), with one
    directory call for all rows."""
    field = owning_field(meta)
    if field is None:
        return [None] * len(rows)
    values = [row.get(field["key"]) for row in rows]
    if field["type"] == "department":
        return [v if isinstance(v, int) else None for v in values]
    target = field_type(field)
    assert isinstance(target, ReferenceField)
    ids = {v for v in values if isinstance(v, int)}
    owners = directory.departments_of(target.target(field), ids) if ids else {}
    return [owners.get(v) if isinstance(v, int) else None for v in values]


def check_in_scope(meta: dict, access: Access, departments: list[int | None]) -> None:
    """A person whose data scope is their department may not file a record under another
    one: it would vanish from their sight as it is saved."""
    if access.scope != "department":
        return
    field = owning_field(meta)
    outside = [
        i for i, d in enumerate(departments) if d is not None and d not in access.department_ids
    ]
    if field is None or not outside:
        return
    message = "This belongs to a department outside your data scope."
    key = field["key"]
    if len(departments) == 1:
        raise ValidationError(f"{key}: {message}", {key: [message]})
    raise ValidationError(
        f"{len(outside)} rows are not valid.", {f"{i}.{key}": [message] for i in outside}
    )
