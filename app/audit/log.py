"""Write one audit entry per changed row, from the ORM flush itself.

Hooking the flush (not each service) means no write can forget its audit entry. The
actor comes from ``session.info["actor"]``, which ``app.auth.scope.Scope`` sets; rows
written without one are attributed to "system". Columns a model lists in
``audit_hidden`` (password hashes, counters) never reach the log, and models that say
``audited = False`` (messages to people, a flow's own history) are not logged at all.
This module must not change the rows it observes.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.models.audit import AuditEntry
from app.models.base import TenantOwned

SKIPPED = frozenset({"id", "tenant_id", "created_at", "updated_at"})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _ids(objects) -> list:
    return sorted(inspect(o).identity[0] if inspect(o).identity else o.id for o in objects)


def _row_diff(obj: Any, action: str) -> dict[str, list]:
    state = inspect(obj)
    hidden = getattr(obj, "audit_hidden", frozenset())
    diff: dict[str, list] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in hidden or key in SKIPPED:
            continue
        hist = state.attrs[key].history
        if action == "create":
            if getattr(obj, key) is not None:
                diff[key] = [None, _plain(getattr(obj, key))]
        elif action == "delete":
            diff[key] = [_plain(getattr(obj, key)), None]
        elif hist.has_changes():
            before = hist.deleted[0] if hist.deleted else None
            after = hist.added[0] if hist.added else None
            if before != after:
                diff[key] = [_plain(before), _plain(after)]
    for rel in state.mapper.relationships:
        if rel.secondary is None or rel.key in hidden:
            continue
        hist = state.attrs[rel.key].history
        if hist.has_changes() or action == "create":
            after = _ids(getattr(obj, rel.key))
            before = sorted(set(after) - set(_ids(hist.added)) | set(_ids(hist.deleted)))
            if before != after:
                diff[f"{rel.key[:-1]}_ids"] = [before, after]
    return diff


def _action(obj: Any, default: str) -> str:
    if default != "update" or not hasattr(obj, "deleted_at"):
        return default
    hist = inspect(obj).attrs["deleted_at"].history
    if hist.has_changes():
        return "delete" if obj.deleted_at is not None else "restore"
    return default


def _collect(session: Session, flush_context) -> None:
    actor_id, actor_name = session.info.get("actor", (None, "system"))
    rows = []
    for objects, action in (
        (session.new, "create"),
        (session.dirty, "update"),
        (session.deleted, "delete"),
    ):
        for obj in objects:
            if (
                not isinstance(obj, TenantOwned)
                or not obj.audited
                or not session.is_modified(obj)
                and action == "update"
            ):
                continue
            diff = _row_diff(obj, action)
            if action == "update" and not diff:
                continue
            rows.append(
                {
                    "tenant_id": obj.tenant_id,
                    "actor_id": actor_id,
                    "actor_name": actor_name,
                    "object_type": obj.__tablename__,
                    "object_id": str(obj.id),
                    "action": _action(obj, action),
                    "diff": diff,
                }
            )
    if rows:
        session.connection().execute(AuditEntry.__table__.insert(), rows)


def write_entry(scope, object_type: str, object_id, action: str, diff: dict) -> None:
    """Record a change made outside the ORM (e.g. rows of a form's own table)."""
    actor_id, actor_name = scope.session.info.get("actor", (None, "system"))
    scope.session.add(
        AuditEntry(
            tenant_id=scope.tenant_id,
            actor_id=actor_id,
            actor_name=actor_name,
            object_type=object_type,
            object_id=str(object_id),
            action=action,
            diff={k: [_plain(a), _plain(b)] for k, (a, b) in diff.items()},
        )
    )


def _refuse_rewrites(session: Session, flush_context, instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry):
            raise RuntimeError("the audit log is append-only")


def install(session_class) -> None:
    """Attach the audit hooks to a session class (idempotent)."""
    if not event.contains(session_class, "after_flush", _collect):
        event.listen(session_class, "after_flush", _collect)
        event.listen(session_class, "before_flush", _refuse_rewrites)
