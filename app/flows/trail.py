"""Save an instance's engine state after a step: the live part in the instance row, the
completed steps the engine pruned from it appended once to ``flow_passed_steps``.

What one step writes stays the same size however long the instance has run: the live
state is bounded by the flow's design, not by its history. Reading the path taken never
touches the engine state.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.auth.scope import Scope
from app.models import FlowInstance, FlowPassedStep
from app.models.base import utcnow
from flow_engine.runtime import Facts, Flow


def save_state(scope: Scope, instance: FlowInstance, flow: Flow) -> None:
    """Store the flow's live state on the instance and append the steps it left behind."""
    instance.state = flow.dump()
    instance.updated_at = utcnow()  # always an UPDATE, so the version check always runs
    if flow.passed:
        rows = [
            {
                "tenant_id": scope.tenant_id,
                "instance_id": instance.id,
                "task_id": step.task_id,
                "node_id": step.node_id,
                "node_type": step.node_type,
                "finished_at": datetime.fromtimestamp(step.finished_at, UTC),
            }
            for step in flow.passed
        ]
        # a plain table insert: no ORM bulk path, and no flush of the step's pending rows
        scope.session.connection().execute(FlowPassedStep.__table__.insert(), rows)
        flow.passed.clear()


def path_taken(scope: Scope, instance: FlowInstance, spec_json: str) -> list[dict]:
    """Every completed step of an instance, oldest first: those stored apart from the live
    state and those the live state still holds. For viewers, never for inbox queries."""
    stmt = scope.select(FlowPassedStep).where(FlowPassedStep.instance_id == instance.id)
    stored = [
        {"task_id": s.task_id, "node_id": s.node_id, "node_type": s.node_type, "at": s.finished_at}
        for s in scope.session.scalars(stmt.order_by(FlowPassedStep.id))
    ]
    seen = {s["task_id"] for s in stored}
    facts = Facts({}, {}, date.today())  # reading the state runs no condition
    live = [
        {
            "task_id": s.task_id,
            "node_id": s.node_id,
            "node_type": s.node_type,
            "at": datetime.fromtimestamp(s.finished_at, UTC),
        }
        for s in Flow.load(spec_json, instance.state, facts).completed_steps()
        if s.task_id not in seen
    ]
    return sorted(stored + live, key=lambda s: s["at"])
