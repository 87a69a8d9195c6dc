"""Use cases on records: each one a transaction, with the caller's scope and an audit entry."""

from __future__ import annotations

from typing import Any

from app.audit.log import write_entry
from app.auth.scope import Scope
from app.connectors import events
from app.forms.access import access_for
from app.forms.directory import TenantDirectory
from app.forms.forms import compiled
from form_engine import records


def _context(scope: Scope, form_id: int):
    form, form_c = compiled(scope, form_id)
    access = access_for(scope)
    return form, form_c, access, TenantDirectory(scope, access)


def _diff(before: dict | None, after: dict | None) -> dict:
    keys = (before or {}).keys() | (after or {}).keys()
    return {
        k: [(before or {}).get(k), (after or {}).get(k)]
        for k in sorted(keys)
        if not k.startswith("_") and (before or {}).get(k) != (after or {}).get(k)
    }


def _audit(scope: Scope, form, record_id: int, action: str, before, after) -> None:
    write_entry(scope, f"record:{form.key}", record_id, action, _diff(before, after))


def _recheck(scope: Scope, form, record_id: int | None = None) -> None:
    """Let the warning rules watching this form see the change (after it is committed)."""
    from app.rules.rules import on_record_changed, rescan_form

    if record_id is None:
        rescan_form(scope, form.key)
    else:
        on_record_changed(scope, form.key, record_id)


def list_records(scope: Scope, form_id: int, **options: Any) -> dict:
    _, form_c, access, _ = _context(scope, form_id)
    return records.query(scope.session.connection(), form_c, access, **options)


def get_record(scope: Scope, form_id: int, record_id: int, include_deleted: bool = False) -> dict:
    _, form_c, access, _ = _context(scope, form_id)
    return records.get(scope.session.connection(), form_c, record_id, access, include_deleted)


def create_record(scope: Scope, form_id: int, data: Any) -> dict:
    form, form_c, access, directory = _context(scope, form_id)
    record = records.create(scope.session.connection(), form_c, data, access, directory)
    _audit(scope, form, record["id"], "create", None, record)
    events.record_changed(scope, form, "record.created", record)
    _start_flow(scope, form, record)
    scope.session.commit()
    _recheck(scope, form, record["id"])
    return record


def _start_flow(scope: Scope, form, record: dict) -> None:
    """Start the flow set to start on submission of this form, in the same transaction."""
    from app.flows.triggers import start_on_submit  # flows build on records

    instance_id = start_on_submit(scope, form.id, record["id"])
    if instance_id is not None:
        record["_flow_instance_id"] = instance_id


def bulk_create_records(scope: Scope, form_id: int, rows: Any) -> list[int]:
    form, form_c, access, directory = _context(scope, form_id)
    ids = records.bulk_create(scope.session.connection(), form_c, rows, access, directory)
    write_entry(scope, f"record:{form.key}", ids[0], "bulk_create", {"count": [None, len(ids)]})
    scope.session.commit()
    _recheck(scope, form)
    return ids


def update_record(scope: Scope, form_id: int, record_id: int, data: Any, row_version: Any) -> dict:
    form, form_c, access, directory = _context(scope, form_id)
    before, after = records.update(
        scope.session.connection(), form_c, record_id, data, row_version, access, directory
    )
    _audit(scope, form, record_id, "update", before, after)
    events.record_changed(scope, form, "record.updated", after)
    scope.session.commit()
    _recheck(scope, form, record_id)
    return after


def set_record_deleted(scope: Scope, form_id: int, record_id: int, deleted: bool) -> dict:
    """Move a record to the bin (deleted=True) or bring it back; both are audited."""
    form, form_c, access, _ = _context(scope, form_id)
    record = records.set_deleted(scope.session.connection(), form_c, record_id, access, deleted)
    action = "delete" if deleted else "restore"
    _audit(scope, form, record_id, action, {"deleted": not deleted}, {"deleted": deleted})
    scope.session.commit()
    _recheck(scope, form, record_id)
    return record
