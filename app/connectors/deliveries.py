"""Deliveries: at least once, with retries and backoff, a readable log, dead letters, replay.

A delivery is a row first and a message second: the sweeper re-queues whatever is due or
was left "sending" by a worker that died, and a lease (a conditional UPDATE) lets only
one worker attempt a delivery at a time, so a killed worker loses nothing and two
workers never send the same attempt twice. "Test connection" is a delivery too: made,
leased and attempted at once in the request, marked by its action, never retried. The log
shows each delivery with the key and label of its connector, a deleted one included.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app import events
from app.auth.scope import Scope
from app.connectors.retired_keys import kept_key
from app.connectors.settings import Environment, instance
from app.errors import Conflict
from app.models import Connector, Delivery
from app.models.base import utcnow
from connectors.errors import BlockedAddress, ConnectorError
from engine_errors import ValidationError


def backoff(attempts: int) -> int:
    """Seconds before the next attempt: 5, 20, 80, 320, ... capped at an hour."""
    return min(5 * 4 ** (attempts - 1), 3600)


#: the action of a "test connection" delivery: the connector type's own check
TEST = "test_connection"
#: the columns the log's text filter searches
SEARCHED = (Delivery.action, Delivery.idempotency_key, Delivery.last_error)


@dataclass(frozen=True)
class Logged:
    """A delivery as the log shows it: with the key and label of the connector it went
    through, which the connector list no longer holds once that connector is deleted."""

    delivery: Delivery
    connector_key: str
    connector_label: dict
    connector_deleted: bool

    def __getattr__(self, name: str):  # the delivery's own fields
        return getattr(self.delivery, name)


def _logged(
    delivery: Delivery, key: str, label: dict, deleted_key: str | None, deleted_at: datetime | None
) -> Logged:
    deleted = deleted_at is not None  # its key was renamed to free it (see removal)
    return Logged(delivery, kept_key(key, deleted_key, deleted)[0], label, deleted)


def logged(scope: Scope, delivery: Delivery) -> Logged:
    """One delivery as the log shows it (the answer to sending and to replaying)."""
    connector = scope.session.get(Connector, delivery.connector_id)
    return _logged(
        delivery, connector.key, connector.label, connector.deleted_key, connector.deleted_at
    )


def log(scope: Scope, filters: dict, page: int, size: int) -> tuple[list[Logged], int]:
    """A page of the delivery log, newest first, and how many deliveries match ``filters``
    (connector_id, status, created_from, created_to, q: text in the action, idempotency key
    or error). The connectors are read in the page's own statement, not row by row."""
    stmt = scope.select(Delivery)
    for key in ("connector_id", "status"):
        if filters.get(key) is not None:
            stmt = stmt.where(getattr(Delivery, key) == filters[key])
    if filters.get("created_from") is not None:
        stmt = stmt.where(Delivery.created_at >= filters["created_from"])
    if filters.get("created_to") is not None:
        stmt = stmt.where(Delivery.created_at <= filters["created_to"])
    if filters.get("q"):
        text = filters["q"].lower()
        stmt = stmt.where(
            or_(*(func.lower(column).contains(text, autoescape=True) for column in SEARCHED))
        )
    total = scope.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = scope.session.execute(
        stmt.add_columns(
            Connector.key, Connector.label, Connector.deleted_key, Connector.deleted_at
        )
        .join(Connector, Connector.id == Delivery.connector_id)
        .order_by(Delivery.id.desc())
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    return [_logged(*row) for row in rows], total


def enqueue(
    scope: Scope,
    connector_id: int,
    action: str,
    inputs: dict,
    idempotency_key: str,
    max_attempts: int = 5,
    commit: bool = True,
) -> Delivery:
    """Record a delivery once per idempotency key; a repeat returns the first one. Once
    the transaction commits, ``events.deliveries_queued`` hands it to a worker."""
    connector = scope.get(Connector, connector_id, "connector")
    dialect = postgresql if scope.session.get_bind().dialect.name == "postgresql" else sqlite
    now = utcnow()
    stmt = (
        dialect.insert(Delivery.__table__)
        .values(
            tenant_id=scope.tenant_id,
            connector_id=connector.id,
            action=action,
            inputs=inputs,
            idempotency_key=idempotency_key,
            status="pending",
            attempts=0,
            max_attempts=max_attempts,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "idempotency_key"])
    )
    scope.session.execute(stmt)
    delivery = scope.session.scalar(
        scope.select(Delivery).where(Delivery.idempotency_key == idempotency_key)
    )
    events.emit(events.deliveries_queued, events.DeliveriesQueued(scope.session, [delivery.id]))
    if commit:
        scope.session.commit()
    return delivery


def _lease(session: Session, delivery_id: int, lease_seconds: int) -> bool:
    now = utcnow()
    stale = now - timedelta(seconds=lease_seconds)
    taken = session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            or_(
                Delivery.status.in_(["pending", "retrying"]),
                (Delivery.status == "sending") & (Delivery.updated_at < stale),
            ),
        )
        .values(status="sending", attempts=Delivery.attempts + 1, updated_at=now)
    ).rowcount
    session.commit()
    return bool(taken)


def attempt(session: Session, env: Environment, delivery_id: int) -> tuple[str, int | None]:
    """Try once. Returns (status, seconds until the next try when it should be retried)."""
    if not _lease(session, delivery_id, env.lease_seconds):
        delivery = session.get(Delivery, delivery_id)
        return (delivery.status if delivery else "missing"), None
    status, wait, _, _ = _send(session, env, delivery_id)
    return status, wait


def _call(env: Environment, connector: Connector, session: Session, delivery: Delivery) -> dict:
    if connector.deleted_at is not None:
        raise ConnectorError("The connector was deleted.", retryable=False)
    kind = instance(env, connector, session)
    if delivery.action == TEST:
        return kind.test_connection()
    inputs = dict(delivery.inputs)
    if delivery.action == "post_event":
        inputs.setdefault("delivery_id", delivery.idempotency_key)
    return kind.run(delivery.action, inputs)


def _send(
    session: Session, env: Environment, delivery_id: int
) -> tuple[str, int | None, dict | None, Exception | None]:
    """One leased attempt: (status, wait before a retry, the answer, the error)."""
    delivery = session.get(Delivery, delivery_id)
    session.refresh(delivery)
    connector = session.get(Connector, delivery.connector_id)
    started = time.monotonic()
    try:
        result = _call(env, connector, session, delivery)
    except (ConnectorError, BlockedAddress, ValidationError) as exc:
        retryable = isinstance(exc, ConnectorError) and exc.retryable
        delivery.last_error = exc.message[:2000]
        delivery.response_status = getattr(exc, "status_code", None)
        delivery.latency_ms = int((time.monotonic() - started) * 1000)
        if retryable and delivery.attempts < delivery.max_attempts:
            wait = backoff(delivery.attempts)
            delivery.status, delivery.next_attempt_at = (
                "retrying",
                utcnow() + timedelta(seconds=wait),
            )
            session.commit()
            return "retrying", wait, None, exc
        delivery.status, delivery.finished_at = "dead", utcnow()
        session.commit()
        return "dead", None, None, exc
    delivery.status, delivery.finished_at, delivery.last_error = "succeeded", utcnow(), None
    delivery.latency_ms = int((time.monotonic() - started) * 1000)
    delivery.response_excerpt = json.dumps(result, ensure_ascii=False, default=str)[:2000]
    session.commit()
    return "succeeded", None, result, None


def check_connection(scope: Scope, env: Environment, connector_id: int) -> dict:
    """Try the settings now, as one delivery of the log (marked as a test, never retried):
    ok with the answer, or why it failed; a refused address or bad settings raise."""
    delivery = enqueue(scope, connector_id, TEST, {}, f"{TEST}:{uuid.uuid4().hex}", 1, False)
    # leased in the same commit that makes it visible, so no worker picks it up meanwhile
    _lease(scope.session, delivery.id, env.lease_seconds)
    _, _, result, error = _send(scope.session, env, delivery.id)
    if isinstance(error, ConnectorError):
        return {
            "ok": False,
            "message": error.message,
            "status_code": error.status_code,
            "delivery_id": delivery.id,
        }
    if error is not None:
        raise error
    return {"ok": True, "result": result, "delivery_id": delivery.id}


def due(session: Session, lease_seconds: int) -> list[int]:
    """Deliveries to (re)queue: due retries and those a dead worker left half-sent."""
    now = utcnow()
    stale = now - timedelta(seconds=lease_seconds)
    return list(
        session.scalars(
            select(Delivery.id)
            .where(
                or_(
                    Delivery.status.in_(["pending", "retrying"])
                    & (Delivery.next_attempt_at <= now),
                    (Delivery.status == "sending") & (Delivery.updated_at < stale),
                )
            )
            .limit(500)
        )
    )


def replay(scope: Scope, delivery_id: int) -> Delivery:
    """Give a dead letter a fresh set of attempts."""
    delivery = scope.get(Delivery, delivery_id, "delivery")
    if delivery.status != "dead":
        raise Conflict("Only a dead delivery can be replayed.", code="not_dead")
    if delivery.action == TEST:
        raise Conflict(
            "A connection test is not replayed: test the connection again.", code="test_delivery"
        )
    if scope.session.get(Connector, delivery.connector_id).deleted_at is not None:
        raise Conflict("Its connector was deleted.", code="connector_deleted")
    delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, utcnow()
    delivery.finished_at = None
    scope.session.commit()
    return delivery
