"""Settle a step: keep an instance's tables in step with its engine state after every move.

``settle`` mirrors the engine into the tables until nothing moves on its own: seats for
newly waiting user tasks (``seating``, applying the empty-approver policy), moot seats
closed, the service actions that ran performed (cc, notify) and the deferred ones tried
(``service_runs``), a finished instance closed (and told as the ``flow_finished`` domain
event), its timers synced (``timers``) and the state saved. It builds on those modules and
none of them may import it; it never commits (the caller's ``one_writer`` does).
"""

from __future__ import annotations

from app import events
from app.flows import timers
from app.flows.copies import copy_in
from app.flows.people import display_names
from app.flows.run import Run, as_seat, find_people, open_seats, record_event
from app.flows.seating import seat_task
from app.flows.service_runs import perform_inline, start_held
from app.flows.trail import save_state
from app.models.base import utcnow
from flow_engine import approvals
from flow_engine.runtime import FlowError

MAX_AUTO_STEPS = 200


def _perform_actions(run: Run) -> None:
    for node_id in run.flow.fired:
        node = run.version.nodes.get(node_id, {})
        if node.get("action") != "cc":
            perform_inline(run, node_id, node)
            continue
        people = find_people(run, node["assignee"]) if node.get("assignee") else []
        name = node.get("name", node_id)
        copy_in(run.scope, run.instance, node_id, name, people, body=node.get("name", ""))
        names = display_names(run.scope, people)
        record_event(
            run,
            node.get("action") or "action",
            node_id=node_id,
            node_name=name,
            system=True,
            details={"users": [{"id": u, "name": names.get(u, "")} for u in people]},
        )
    run.flow.fired.clear()


def settle(run: Run) -> None:
    """Mirror the engine into the tables until nothing moves on its own."""
    for step in range(MAX_AUTO_STEPS):
        _perform_actions(run)
        moved = start_held(run)
        waiting = [] if run.flow.finished else run.flow.waiting()
        if step == 0 and (run.fresh or run.seats is not None):
            rows = [] if run.fresh else run.seats  # nobody seated yet, or the caller holds them
        else:
            rows = open_seats(run.scope, run.instance.id, pending=True)
        run.seats = None
        missing, moot = approvals.reconcile(waiting, [as_seat(r) for r in rows])
        for row in rows:
            if row.id in moot:
                row.status = "cancelled"
        if not any(seat_task(run, w) for w in missing) and not moved:
            break
    else:
        raise FlowError("The flow keeps approving itself without anyone; check its design.")
    instance = run.instance
    if run.flow.finished and instance.status == "running":
        instance.status = "approved"
        instance.ended_at = utcnow()
        record_event(run, "finish", system=True, details={"status": "approved"})
    timers.sync(run)
    save_state(run.scope, instance, run.flow)
    if instance.ended_at is not None:
        with run.scope.session.no_autoflush:  # the instance is saved once, at the commit
            events.emit(events.flow_finished, events.FlowFinished(run.scope, instance))
