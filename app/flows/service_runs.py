"""Service tasks of running instances: perform their registered actions (flow_engine.actions).

cc and notify only write messages and run as the flow passes. Every other action is
deferred: its service task waits (``Flow.held``) while a ``FlowActionRun`` tries it, first
at once inside a savepoint of the step that reached it (here), then, when due, with backoff
(``app.flows.retries``). The flow moves on only once the action succeeded. connector.call
hands its request to the delivery log (``app.connectors.deliveries``) and waits for the
delivery's outcome. The actions themselves are in ``app.flows.service_actions``. This
module works inside the caller's step: it never settles nor commits the instance.
"""

from __future__ import annotations

from app.auth.scope import Scope
from app.flows.retries import POLICY, Policy, attempt
from app.flows.run import Run, record_event
from app.flows.service_actions import PERFORM, Call
from app.forms.forms import compiled
from app.models import Connector, FlowActionRun, FlowDefinition, Form
from app.models.base import utcnow
from connectors import REGISTRY

LIVE = ("retrying", "waiting", "failed")


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
