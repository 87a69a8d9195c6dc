"""Deliveries: at least once, with retries and backoff, a readable log, dead letters, replay.

A delivery is a row first and a message second: the sweeper re-queues whatever is due or
was left "sending" by a worker that died, and a lease (a conditional UPDATE) lets only
one worker attempt a delivery at a time, so a killed worker loses nothing and two
workers never send the same attempt twice.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.auth.scope import Scope
from app.connectors.settings import Environment, instance
from app.errors import Conflict
from app.models import Connector, Delivery
from app.models.base import utcnow
from connectors.errors import BlockedAddress, ConnectorError
from form_engine.errors import ValidationError


def backoff(attempts: int) -> int:
    """Seconds before the next attempt: 5, 20, 80, 320, ... capped at an hour."""
    return min(5 * 4 ** (attempts - 1), 3600)


def enqueue(
    scope: Scope,
    connector_id: int,
    action: str,
    inputs: dict,
    idempotency_key: str,
    max_attempts: int = 5,
    commit: bool = True,
) -> Delivery:
    """Record a delivery once per idempotency key; a repeat returns the first one."""
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
    if commit:
        scope.session.commit()
    return scope.session.scalar(
        scope.select(Delivery).where(Delivery.idempotency_key == idempotency_key)
    )


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
    delivery = session.get(Delivery, delivery_id)
    session.refresh(delivery)
    connector = session.get(Connector, delivery.connector_id)
    inputs = dict(delivery.inputs)
    if delivery.action == "post_event":
        inputs.setdefault("delivery_id", delivery.idempotency_key)
    started = time.monotonic()
    try:
        result = instance(env, connector, session).run(delivery.action, inputs)
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
            return "retrying", wait
        delivery.status, delivery.finished_at = "dead", utcnow()
        session.commit()
        return "dead", None
    delivery.status, delivery.finished_at, delivery.last_error = "succeeded", utcnow(), None
    delivery.latency_ms = int((time.monotonic() - started) * 1000)
    delivery.response_excerpt = json.dumps(result, ensure_ascii=False, default=str)[:2000]
    session.commit()
    return "succeeded", None


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
    delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, utcnow()
    delivery.finished_at = None
    scope.session.commit()
    return delivery
