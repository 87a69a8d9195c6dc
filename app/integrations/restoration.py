"""Bringing back a deleted connector, inbound hook or ERP sync under the key it had.

The inverse of ``removal``: the row never left, so its delivery log, receipts or run log
are still attached. It comes back switched off, so nothing fires until someone switches
it on. It is refused while a live row holds its key, and a sync is refused while the
connector it pulls from is deleted. This module changes only the row it restores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from app.auth.scope import MAX_ID, Scope
from app.connectors.settings import SYSTEM_EMAIL
from app.errors import Conflict, NotFound
from app.integrations.removal import original_key
from app.models import Connector, ConnectorSync, InboundHook

Row = TypeVar("Row", Connector, InboundHook, ConnectorSync)


@dataclass(frozen=True)
class Restored:
    """What came back: always switched off; ``key_shortened`` when the row was deleted
    before whole keys were kept and its renamed key filled all 40 characters, so its end
    may have been cut."""

    id: int
    key: str
    enabled: bool
    key_shortened: bool


def _deleted(scope: Scope, model: type[Row], row_id: int, name: str) -> Row:
    row = None
    if 0 < row_id <= MAX_ID:
        row = scope.session.scalar(scope.select(model).where(model.id == row_id))
    if row is None:
        raise NotFound(f"No {name} with id {row_id}.")
    if row.deleted_at is None:
        raise Conflict(f"This {name} is not deleted.", code="not_deleted")
    return row


def _restore(scope: Scope, row: Row, taken_message: str, *same_key) -> Restored:
    """Gives the row its key back, switched off; refused while another row holds the key
    (``same_key`` narrows where keys must be unique beyond the tenant)."""
    model = type(row)
    key, whole = original_key(row)
    taken = Conflict(taken_message, {"key": ["Already in use."]}, code="key_taken")
    if scope.session.scalar(scope.select(model).where(model.key == key, *same_key)) is not None:
        raise taken
    row.key, row.deleted_key, row.deleted_at, row.enabled = key, None, None, False
    try:
        scope.session.commit()
    except IntegrityError:  # taken by a request that committed in between
        scope.session.rollback()
        raise taken from None
    return Restored(row.id, row.key, row.enabled, not whole)


def restore_connector(scope: Scope, connector_id: int) -> Restored:
    """Bring back a deleted connector, switched off; its deliveries are still its own."""
    connector = _deleted(scope, Connector, connector_id, "connector")
    if original_key(connector)[0] == SYSTEM_EMAIL:  # deleted before the key was reserved
        raise Conflict(
            "This connector key is reserved for the system email connector.",
            {"key": ["Reserved."]},
            code="key_taken",
        )
    return _restore(scope, connector, "This connector key is taken.")


def restore_hook(scope: Scope, hook_id: int) -> Restored:
    """Bring back a deleted inbound hook, switched off: its URL answers once it is on."""
    hook = _deleted(scope, InboundHook, hook_id, "inbound hook")
    return _restore(
        scope, hook, "This hook key is taken in the app.", InboundHook.app_id == hook.app_id
    )


def restore_sync(scope: Scope, sync_id: int) -> Restored:
    """Bring back a deleted ERP sync, switched off (it runs on schedule once it is on);
    refused while its connector is deleted."""
    pull = _deleted(scope, ConnectorSync, sync_id, "sync")
    connector = scope.session.get(Connector, pull.connector_id)
    if connector is None or connector.deleted_at is not None:
        raise Conflict(
            "Its connector was deleted.",
            {"connector_id": ["Restore the connector first."]},
            code="connector_deleted",
        )
    return _restore(scope, pull, "This sync key is taken.")
