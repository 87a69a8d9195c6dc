"""Service tasks: perform the registered actions (flow_engine.actions) of running instances.

cc and notify only write messages and run as the flow passes. Every other action is
deferred: its service task waits (``Flow.held``) while a ``FlowActionRun`` tries it, first
at once inside a savepoint of the step that reached it, then from the sweeper with backoff.
The flow moves on only once the action succeeded; after the last attempt the instance
turns "incident" (``app.flows.incidents``) until an administrator retries it.
connector.call hands its request to the delivery log (``app.connectors.deliveries``) and
waits for the delivery's outcome. The actions themselves are in
``app.flows.service_actions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.auth.scope import Scope
from app.errors import Conflict, GreenShelfError
from app.flows import incidents
from app.flows.progress import Run, record_event
from app.flows.service_actions import PERFORM, Call
from app.forms.forms import compiled
from app.models import (
    Connector,
    Delivery,
    FlowActionRun,
    FlowDefinition,
    FlowInstance,
    Form,
)
from app.models.base import utcnow
from connectors import REGISTRY

LIVE = ("retrying", "waiting", "failed")


@dataclass(frozen=True)
class Policy:
    """How often a deferred action is tried before it becomes an incident."""

    max_attempts: int = 3
    first_wait: int = 5  # seconds before the second attempt; each next wait is 4x longer

    def wait(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.first_wait * 4 ** (attempts - 1), 3600))


POLICY = Policy()


def perform_inline(run: Run, node_id: str, node: dict) -> None:
    """Run an action that cannot fail on its own as the flow passes (notify)."""
    inputs = node.get("inputs") or {"to": node.get("assignee"), "message": node.get("message")}
    result = PERFORM[node["action"]](Call(run, node, inputs))
    record_event(
        run,
        node["action"],
        node_id=node_id,
        node_name=node.get("name", node_id),
        system=True,
        details=result,
    )


def start_held(run: Run, policy: Policy | None = None) -> bool:
    """Try the action of every service task that just started waiting; True when one
    succeeded (the flow moved on)."""
    policy = policy or POLICY
    moved = False
    for held in run.flow.held():
        live = run.scope.session.scalar(
            run.scope.select(FlowActionRun).where(
                FlowActionRun.instance_id == run.instance.id,
                FlowActionRun.engine_task_id == held.task_id,
                FlowActionRun.status.in_(LIVE),
            )
        )
        if live is not None:
            continue
        node = run.version.nodes.get(held.node_id, {})
        row = run.scope.add(
            FlowActionRun(
                instance_id=run.instance.id,
                engine_task_id=held.task_id,
                node_id=held.node_id,
                node_name=node.get("name", held.node_id)[:200],
                action=node.get("action", ""),
                status="retrying",
                attempts=0,
                max_attempts=policy.max_attempts,
                next_attempt_at=utcnow(),
            )
        )
        run.scope.session.flush()
        moved = attempt(run, row, policy) or moved
    return moved


def attempt(run: Run, row: FlowActionRun, policy: Policy) -> bool:
    """Try the row's action once, in a savepoint; True when it succeeded and the flow
    moved on. A failure is recorded on the row (and, after the last attempt, raised as an
    incident); the savepoint leaves nothing of the failed attempt behind."""
    node = run.version.nodes.get(row.node_id, {})
    call = Call(run, node, node.get("inputs") or {}, row)
    row.attempts += 1
    row.leased_until = None
    try:
        with run.scope.session.begin_nested():
            result = PERFORM[row.action](call)
    except GreenShelfError as exc:
        _failed(run, row, exc.message, policy)
        return False
    except Exception as exc:  # an action meets the outside world: record, never a 500
        _failed(run, row, f"{type(exc).__name__}: {exc}", policy)
        return False
    row.result = result
    if call.waits_for is not None:
        row.status, row.delivery_id, row.next_attempt_at = "waiting", call.waits_for, None
        return False
    _succeeded(run, row, result)
    return True


def _succeeded(run: Run, row: FlowActionRun, result: dict) -> None:
    row.status, row.finished_at, row.last_error, row.next_attempt_at = (
        "succeeded",
        utcnow(),
        None,
        None,
    )
    row.result = result
    incidents.resolve(run, row)
    record_event(
        run, row.action, node_id=row.node_id, node_name=row.node_name, system=True, details=result
    )
    run.flow.finish_service(row.engine_task_id)


def _failed(run: Run, row: FlowActionRun, error: str, policy: Policy) -> None:
    row.last_error = error[:2000]
    if row.attempts < row.max_attempts:
        row.status, row.next_attempt_at = "retrying", utcnow() + policy.wait(row.attempts)
        return
    row.status, row.next_attempt_at = "failed", None
    incidents.raise_incident(run, row)


def check_delivery(run: Run, row: FlowActionRun, policy: Policy) -> bool:
    """A connector call's delivery finished: move on, or raise the incident it ended in."""
    row.leased_until = None
    delivery = run.scope.session.get(Delivery, row.delivery_id)
    if delivery is None or delivery.status not in ("succeeded", "dead"):
        return False
    row.attempts = max(row.attempts, delivery.attempts)
    if delivery.status == "dead":
        row.attempts = row.max_attempts
        _failed(run, row, delivery.last_error or "The delivery failed.", policy)
        return False
    _succeeded(run, row, {**(row.result or {}), "response": delivery.response_excerpt})
    return True


def due_runs(session, now: datetime, tenant_id: int | None = None) -> list[int]:
    """Action runs to try now: due retries and connector calls whose delivery finished
    (of one tenant, if given)."""
    retries = select(FlowActionRun.id).where(
        FlowActionRun.status == "retrying",
        FlowActionRun.next_attempt_at <= now,
        (FlowActionRun.leased_until.is_(None)) | (FlowActionRun.leased_until < now),
    )
    finished = (
        select(FlowActionRun.id)
        .join(Delivery, Delivery.id == FlowActionRun.delivery_id)
        .where(FlowActionRun.status == "waiting", Delivery.status.in_(["succeeded", "dead"]))
    )
    if tenant_id is not None:
        retries = retries.where(FlowActionRun.tenant_id == tenant_id)
        finished = finished.where(FlowActionRun.tenant_id == tenant_id)
    return list(session.scalars(retries.limit(500))) + list(session.scalars(finished.limit(500)))


def run_due(
    session, run_id: int, policy: Policy, now: datetime | None = None, lease: int = 60
) -> str:
    """Claim a due action run with a lease and try it (or see its delivery's outcome)."""
    from app.flows.progress import load_run, one_writer, settle

    now = now or utcnow()
    taken = session.execute(
        update(FlowActionRun)
        .where(
            FlowActionRun.id == run_id,
            FlowActionRun.status.in_(["retrying", "waiting"]),
            FlowActionRun.leased_until.is_(None) | (FlowActionRun.leased_until < now),
        )
        .values(leased_until=now + timedelta(seconds=lease))
    ).rowcount
    session.commit()
    if not taken:
        return "taken"
    row = session.get(FlowActionRun, run_id)
    session.refresh(row)
    session.info.pop("actor", None)
    instance = session.get(FlowInstance, row.instance_id)
    scope = Scope(session, row.tenant_id, None)
    try:
        with one_writer(scope):
            run = load_run(scope, instance)
            if row.status == "waiting":
                moved = check_delivery(run, row, policy)
            elif row.next_attempt_at is not None and row.next_attempt_at > now:
                row.leased_until = None
                moved = False
            else:
                moved = attempt(run, row, policy)
            if moved:
                settle(run)
            else:
                instance.updated_at = utcnow()
    except Conflict:
        return "busy"  # someone moved the flow just now: the lease runs out, a later sweep retries
    except Exception as exc:  # e.g. the record is gone: keep the reason, retry after the lease
        session.rollback()
        session.execute(
            update(FlowActionRun)
            .where(FlowActionRun.id == run_id)
            .values(last_error=f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"[:2000])
        )
        session.commit()
        return "failed"
    return row.status


def action_catalogue(scope: Scope) -> dict:
    """What service actions may name in this tenant, for checking them at deploy."""
    forms = {
        form.key: compiled(scope, form.id)[1].expression_types
        for form in scope.session.scalars(
            scope.select(Form).where(Form.published_version.is_not(None))
        )
    }
    kinds = {
        key: frozenset(REGISTRY[kind].actions) if kind in REGISTRY else frozenset()
        for key, kind in scope.session.execute(
            scope.select(Connector, Connector.key, Connector.type).where(
                Connector.deleted_at.is_(None)
            )
        )
    }
    flows = dict(
        scope.session.execute(
            scope.select(FlowDefinition, FlowDefinition.key, Form.key).join(
                Form, Form.id == FlowDefinition.form_id
            )
        ).all()
    )
    return {"forms": forms, "connectors": kinds, "flows": flows}
