"""Timers of running instances: user-task timeouts and BPMN timer events, as due rows.

``sync`` runs after every step (from ``app.flows.settling``): it adds a row for each user
task with a timeout and each timer event that started waiting, and cancels the rows of tasks
that no longer wait. The sweeper finds due rows (``due_timers``), ``claim`` takes one with a
lease (a conditional UPDATE: of two workers, one gets it) and ``go_off`` does what the timer
says (remind, escalate, auto-decide, or let a timer event pass) to the loaded run. This
module never settles nor commits the instance's move: ``app.flows.sweeps`` fires a claimed
timer in the instance's own transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.auth.scope import Scope
from app.flows.copies import instance_link, notify
from app.flows.people import display_names
from app.flows.run import Run, find_people, open_seats, record_event
from app.models import FlowInstance, FlowTask, FlowTimer
from app.models.base import utcnow
from flow_engine.timers import Timeout, parse_duration


def sync(run: Run, now: datetime | None = None) -> None:
    """Give newly waiting tasks their timers; cancel the timers of tasks that moved on.

    An instance that has never been on a version with timers has none: nothing to do."""
    if not run.timed:
        return
    now = now or utcnow()
    rows = []
    if not run.fresh:
        rows = list(
            run.scope.session.scalars(
                run.scope.select(FlowTimer).where(FlowTimer.instance_id == run.instance.id)
            )
        )
    known = {(r.engine_task_id, r.kind) for r in rows}
    finished = run.flow.finished or run.instance.status not in ("running", "incident")
    waiting = [] if finished else run.flow.waiting()
    events = [] if finished else run.flow.timers()
    for task in waiting:
        node = run.version.nodes.get(task.node_id, {})
        if node.get("timeout") and (task.task_id, "timeout") not in known:
            timeout = Timeout.from_node(node["timeout"])
            _add(run, task.task_id, task.node_id, "timeout", timeout.action, now + timeout.after)
    for timer in events:
        if (timer.task_id, "event") not in known:
            node = run.version.nodes.get(timer.node_id, {})
            due = _due(timer.due) or now + parse_duration(node.get("duration", "PT1S"))
            _add(run, timer.task_id, timer.node_id, "event", "fire", due)
    # A timeout lives while its task waits at a node that still has one (after a move to
    # another version, the node may have lost it).
    timed_out = {t.task_id for t in waiting if run.version.nodes.get(t.node_id, {}).get("timeout")}
    live = timed_out | {t.task_id for t in events}
    for row in rows:
        if row.status == "pending" and row.engine_task_id not in live:
            row.status = "cancelled"


def _due(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _add(run: Run, task_id: str, node_id: str, kind: str, action: str, due: datetime) -> None:
    run.scope.add(
        FlowTimer(
            instance_id=run.instance.id,
            engine_task_id=task_id,
            node_id=node_id,
            kind=kind,
            action=action,
            due_at=due,
            status="pending",
        )
    )


def list_timers(scope: Scope, instance_id: int, status: str | None = None) -> list[FlowTimer]:
    """An instance's timers, oldest first (for administrators)."""
    scope.get(FlowInstance, instance_id, "flow instance")
    stmt = scope.select(FlowTimer).where(FlowTimer.instance_id == instance_id)
    if status:
        stmt = stmt.where(FlowTimer.status == status)
    return list(scope.session.scalars(stmt.order_by(FlowTimer.id)))


def due_timers(session: Session, now: datetime, tenant_id: int | None = None) -> list[int]:
    """Pending timers due by ``now`` that no worker holds (of one tenant, if given)."""
    stmt = select(FlowTimer.id).where(
        FlowTimer.status == "pending",
        FlowTimer.due_at <= now,
        FlowTimer.leased_until.is_(None) | (FlowTimer.leased_until < now),
    )
    if tenant_id is not None:
        stmt = stmt.where(FlowTimer.tenant_id == tenant_id)
    return list(session.scalars(stmt.order_by(FlowTimer.due_at).limit(500)))


def claim(session: Session, timer_id: int, now: datetime, lease_seconds: int) -> bool:
    """Take a due timer for ``lease_seconds`` (committed at once); False if it is not due
    or another worker holds it."""
    taken = session.execute(
        update(FlowTimer)
        .where(
            FlowTimer.id == timer_id,
            FlowTimer.status == "pending",
            FlowTimer.due_at <= now,
            FlowTimer.leased_until.is_(None) | (FlowTimer.leased_until < now),
        )
        .values(leased_until=now + timedelta(seconds=lease_seconds))
    ).rowcount
    session.commit()
    return bool(taken)


def go_off(run: Run, timer: FlowTimer, now: datetime) -> str:
    """Do what a claimed timer says to its loaded run; returns what happened."""
    if timer.kind == "event":
        timer.status, timer.fired = "fired", timer.fired + 1
        if not run.flow.fire_timer(timer.engine_task_id):
            timer.status = "cancelled"
            return "cancelled"
        record_event(run, "timer", node_id=timer.node_id, node_name=_name(run, timer), system=True)
        return "fired"
    if timer.engine_task_id not in {w.task_id for w in run.flow.waiting()}:
        timer.status = "cancelled"
        return "cancelled"
    node = run.version.nodes.get(timer.node_id, {})
    timeout = Timeout.from_node(node["timeout"])
    seats = [
        s
        for s in open_seats(run.scope, run.instance.id)
        if s.engine_task_id == timer.engine_task_id
    ]
    timer.fired += 1
    timer.status, timer.leased_until = "fired", None
    ACTIONS[timeout.action](run, timer, timeout, seats, now)
    return timeout.action


def _name(run: Run, timer: FlowTimer) -> str:
    return run.version.nodes.get(timer.node_id, {}).get("name", timer.node_id)


def _tell(run: Run, users: list[int], title: str) -> None:
    notify(run.scope, users, title, run.instance.title, instance_link(run.instance.id))


def _remind(run: Run, timer: FlowTimer, timeout: Timeout, seats, now: datetime) -> None:
    users = [s.assignee_id for s in seats]
    _tell(run, users, f"催办：{run.instance.title}")
    names = display_names(run.scope, users)
    record_event(
        run,
        "remind",
        node_id=timer.node_id,
        node_name=_name(run, timer),
        system=True,
        details={"users": [{"id": u, "name": names.get(u, "")} for u in users], "n": timer.fired},
    )
    due = timeout.next_due(timer.fired, timer.due_at)
    if due is not None:
        timer.status, timer.due_at = "pending", max(due, now)


def _escalate(run: Run, timer: FlowTimer, timeout: Timeout, seats, now: datetime) -> None:
    people = find_people(run, timeout.escalate_to)
    if not people:  # nobody to escalate to: keep the step with its people, and say so
        record_event(
            run,
            "escalate",
            node_id=timer.node_id,
            node_name=_name(run, timer),
            system=True,
            details={"users": [], "error": f"{timeout.escalate_to} finds nobody"},
        )
        return
    for seat in seats:
        if seat.assignee_id not in people:
            seat.status, seat.acted_at = "transferred", now
    taken = {s.assignee_id for s in seats}
    template = seats[0] if seats else None
    for user_id in people:
        if user_id in taken or template is None:
            continue
        run.scope.add(
            FlowTask(
                instance_id=run.instance.id,
                kind="approval",
                engine_task_id=template.engine_task_id,
                node_id=template.node_id,
                node_name=template.node_name,
                mode=template.mode,
                assignee_id=user_id,
                candidates=people,
                status="open",
            )
        )
    _tell(run, people, f"超时转交：{run.instance.title}")
    names = display_names(run.scope, people)
    record_event(
        run,
        "escalate",
        node_id=timer.node_id,
        node_name=_name(run, timer),
        system=True,
        details={"users": [{"id": u, "name": names.get(u, "")} for u in people]},
    )


def _auto_decide(run: Run, timer: FlowTimer, seats, now: datetime, approve: bool) -> None:
    for seat in seats:
        seat.status, seat.acted_at = ("approved" if approve else "rejected"), now
    record_event(
        run,
        "auto_approve" if approve else "auto_reject",
        node_id=timer.node_id,
        node_name=_name(run, timer),
        system=True,
        details={"reason": "timeout"},
    )
    node = run.version.nodes.get(timer.node_id, {})
    if approve:
        run.flow.complete(timer.engine_task_id)
    elif node.get("reject_to"):
        run.flow.complete(timer.engine_task_id, "rejected")
    else:
        run.flow.cancel()
        run.instance.status, run.instance.ended_at = "rejected", now


ACTIONS = {
    "remind": _remind,
    "escalate": _escalate,
    "auto_approve": lambda run, timer, timeout, seats, now: _auto_decide(
        run, timer, seats, now, True
    ),
    "auto_reject": lambda run, timer, timeout, seats, now: _auto_decide(
        run, timer, seats, now, False
    ),
}
