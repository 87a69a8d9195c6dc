"""The one write path of records, and the use cases on records built on it.

``write_record`` creates, updates, deletes or restores one record: it writes the row, the
audit entry and the domain event (``app.events.record_changed``), and does not commit.
``allocate_stock`` wraps the form engine's locked stock decrement the same way, one event
per row it took from; ``write_records`` reports what a bulk path (an import, an ERP pull)
wrote as one event. Every writer, the API, imports, ERP pulls, inbound hooks, flow steps,
approvers' edits and rule actions, goes through these, so each change fires the same
webhooks, rule rechecks and flows. This module knows nothing of those: they subscribe to
the events (``app.wiring``).
"""

from __future__ import annotations

from typing import Any

from app import events
from app.audit.log import write_entry
from app.auth.scope import Scope
from app.forms.access import access_for
from app.forms.directory import TenantDirectory
from app.forms.forms import compiled
from app.models import Form
from form_engine import bulk_write, records, stock
from form_engine.access import Access
from form_engine.compiled import CompiledForm
from form_engine.fields import field_type
from form_engine.fields.reference import ReferenceField
from form_engine.list_columns import computed_columns, form_columns

#: the actions (the audit log's words) and the event's word for each
_PAST = {"create": "created", "update": "updated", "delete": "deleted", "restore": "restored"}


def write_record(
    scope: Scope,
    form_id: int,
    action: str,
    *,
    values: Any = None,
    record_id: int | None = None,
    row_version: Any = None,
    access: Access | None = None,
    via: str | None = None,
    announce: bool = True,
) -> dict:
    """Create / update / delete / restore one record and announce it; the caller commits.

    ``access`` is the caller's data scope (the signed-in user's by default); ``via`` names
    what made the change when it is not a person at a form (a flow, a hook), for the audit.
    A bulk path passes ``announce=False`` and announces its rows at once (``write_records``).
    """
    form, form_c = compiled(scope, form_id)
    access = access or access_for(scope)
    conn = scope.session.connection()
    before = None
    if action == "create":
        record = records.create(conn, form_c, values, access, TenantDirectory(scope, access))
    elif action == "update":
        directory = TenantDirectory(scope, access)
        before, record = records.update(
            conn, form_c, record_id, values, row_version, access, directory
        )
    elif action in ("delete", "restore"):
        deleted = action == "delete"
        record = records.set_deleted(conn, form_c, record_id, access, deleted)
        before = {**record, "_deleted": not deleted}
        record = {**record, "_deleted": deleted}
    else:
        raise ValueError(f"unknown record action {action!r}")
    _announce(scope, form, action, record, before, via, announce)
    return record


def _announce(
    scope: Scope, form: Form, action: str, record: dict, before, via, announce: bool = True
) -> None:
    """The audit entry (its action as ``action`` says) and the event (in the past tense)."""
    change = events.RecordChange(scope, form, _PAST[action], record, before)
    diff = change.changed
    if action in ("delete", "restore"):
        diff = {"deleted": [action == "restore", action == "delete"]}
    if via:
        diff["via"] = [None, via]
    write_entry(scope, f"record:{form.key}", record["id"], action, diff)
    if announce:
        events.emit(events.record_changed, change)


def allocate_stock(
    scope: Scope,
    form_id: int,
    field: str,
    quantity: Any,
    where: Any,
    order_by: str | None,
    access: Access,
    via: str | None = None,
) -> stock.Allocation:
    """Take ``quantity`` from ``field`` of the matching records in order (FEFO when ordered
    by expiry), locked; each record taken from is audited and announced as updated."""
    form, form_c = compiled(scope, form_id)
    conn = scope.session.connection()
    allocation = stock.allocate(conn, form_c, access, field, quantity, where, order_by)
    for record_id, _taken in allocation.rows:
        after = records.get(conn, form_c, record_id, access)
        before = {**after, field: allocation.held[record_id]}
        before["_row_version"] = after["_row_version"] - 1
        _announce(scope, form, "update", after, before, via)
    return allocation


def write_records(
    scope: Scope, form: Form, created: list[int], updated: list[int], source: str
) -> None:
    """Announce what a bulk path wrote, as one event; the caller commits."""
    if not created and not updated:
        return
    count = len(created) + len(updated)
    first = (created or updated)[0]
    diff = {"count": [None, count], "source": [None, source]}
    write_entry(scope, f"record:{form.key}", first, "bulk_write", diff)
    events.emit(
        events.records_imported,
        events.RecordsImported(scope, form, list(created), list(updated), source),
    )


def list_records(scope: Scope, form_id: int, **options: Any) -> dict:
    """A page of records, with ``titles``: what people read for the ids its user,
    department and relation fields hold ({field: {id: name}}), and ``list``: the form's
    default columns and its computed columns, each with the field type it reads as."""
    _, form_c = compiled(scope, form_id)
    access = access_for(scope)
    page = records.query(scope.session.connection(), form_c, access, **options)
    page["list"] = list_setting(form_c, access)
    page["titles"] = reference_titles(scope, form_c, page["items"], access)
    return page


def reference_titles(
    scope: Scope, form: CompiledForm, rows: list[dict], access: Access
) -> dict[str, dict[str, str]]:
    """What people read for the ids the rows' user, department and relation fields hold,
    as ``access`` may see their targets: {field: {id: name}}."""
    directory = TenantDirectory(scope, access)
    titles = {}
    for key, field in form.fields.items():
        kind = field_type(field)
        ids = {r[key] for r in rows if isinstance(r.get(key), int)}
        if isinstance(kind, ReferenceField) and ids:
            names = directory.titles(kind.target(field), ids)
            titles[key] = {str(i): name for i, name in names.items()}
    return titles


#: the field type a computed list column reads as, by its type in the expression language
COMPUTED_AS = {"integer": "integer", "decimal": "decimal", "date": "date", "boolean": "switch"}


def list_setting(form: CompiledForm, access: Access) -> dict:
    setting = form.meta.get("list") or {}
    computed = []
    for key, (_, kind) in form_columns(form, access).items():
        column = computed_columns(form.meta)[key]
        shown = "select" if column.get("options") else COMPUTED_AS.get(kind, "text")
        computed.append({**column, "type": shown, "computed": True})
    return {"columns": setting.get("columns") or [], "computed": computed}


def get_record(scope: Scope, form_id: int, record_id: int, include_deleted: bool = False) -> dict:
    _, form_c = compiled(scope, form_id)
    return records.get(
        scope.session.connection(), form_c, record_id, access_for(scope), include_deleted
    )


def create_record(scope: Scope, form_id: int, data: Any) -> dict:
    record = write_record(scope, form_id, "create", values=data)
    scope.session.commit()
    return record


def bulk_create_records(scope: Scope, form_id: int, rows: Any) -> list[int]:
    form, form_c = compiled(scope, form_id)
    access = access_for(scope)
    ids = bulk_write.bulk_create(
        scope.session.connection(), form_c, rows, access, TenantDirectory(scope, access)
    )
    write_records(scope, form, ids, [], "api")
    scope.session.commit()
    return ids


def update_record(scope: Scope, form_id: int, record_id: int, data: Any, row_version: Any) -> dict:
    record = write_record(
        scope, form_id, "update", values=data, record_id=record_id, row_version=row_version
    )
    scope.session.commit()
    return record


def set_record_deleted(scope: Scope, form_id: int, record_id: int, deleted: bool) -> dict:
    """Move a record to the bin (deleted=True) or bring it back; both are audited."""
    action = "delete" if deleted else "restore"
    record = write_record(scope, form_id, action, record_id=record_id)
    scope.session.commit()
    return {k: v for k, v in record.items() if k != "_deleted"}
