"""What the initiator may do to their running flow: withdraw it before anyone has decided,
and urge the people it waits for (re-notify them), at most once per ``URGE_INTERVAL``.
"""

from __future__ import annotations

from datetime import timedelta

from app.auth.scope import Scope
from app.errors import Conflict, Forbidden, GreenShelfError
from app.flows.copies import notify, task_link
from app.flows.people import display_names
from app.flows.run import load_run, one_writer, open_seats, record_event
from app.flows.settling import settle
from app.models import FlowEvent, FlowInstance
from app.models.base import utcnow

# A decision by a person: after the first one, the initiator can no longer withdraw.
DECISIONS = ("approve", "reject", "return", "add_signer")
URGE_INTERVAL = timedelta(minutes=10)


class TooSoon(GreenShelfError):
    """Asked again before the interval is over; ``retry_after`` says how long to wait."""

    status = 429
    code = "too_many_requests"


def _mine(scope: Scope, instance_id: int) -> FlowInstance:
    instance = scope.get(FlowInstance, instance_id, "flow instance")
    if instance.initiator_id != scope.user.id:
        raise Forbidden("Only the person who started this flow can do this.")
    if instance.status != "running":
        raise Conflict(f"This flow is already {instance.status}.", code="flow_ended")
    return instance


def withdraw(scope: Scope, instance_id: int, comment: str) -> FlowInstance:
    """Take back a flow nobody has decided on yet: it ends as withdrawn, its tasks close."""
    instance = _mine(scope, instance_id)
    decided = scope.session.scalar(
        scope.select(FlowEvent, FlowEvent.id)
        .where(
            FlowEvent.instance_id == instance.id,
            FlowEvent.action.in_(DECISIONS),
            FlowEvent.actor_id.is_not(None),
        )
        .limit(1)
    )
    if decided is not None:
        raise Conflict(
            "Someone has already decided on this flow: it can no longer be withdrawn.",
            code="already_decided",
        )
    with one_writer(scope):
        run = load_run(scope, instance)
        for seat in open_seats(scope, instance.id, pending=True):
            seat.status = "cancelled"
        run.flow.cancel()
        instance.status = "withdrawn"
        instance.ended_at = utcnow()
        record_event(run, "withdraw", comment=comment)
        settle(run)
    return instance


def urge(scope: Scope, instance_id: int, comment: str) -> dict:
    """Notify again everyone whose decision the flow waits for."""
    instance = _mine(scope, instance_id)
    last = scope.session.scalar(
        scope.select(FlowEvent, FlowEvent.at)
        .where(FlowEvent.instance_id == instance.id, FlowEvent.action == "urge")
        .order_by(FlowEvent.at.desc())
        .limit(1)
    )
    now = utcnow()
    if last is not None and now - last < URGE_INTERVAL:
        wait = int((last + URGE_INTERVAL - now).total_seconds()) + 1
        raise TooSoon(
            f"This flow was urged a moment ago; you can urge it again in {wait} seconds.",
            details={"retry_after": wait},
        )
    with one_writer(scope):
        run = load_run(scope, instance)
        seats = open_seats(scope, instance.id)
        for seat in seats:
            notify(
                scope,
                [seat.assignee_id],
                f"催办：{instance.title}",
                comment or f"请尽快处理“{seat.node_name}”。",
                task_link(seat.id),
            )
        people = list(dict.fromkeys(s.assignee_id for s in seats))
        names = display_names(scope, people)
        users = [{"id": u, "name": names.get(u, "")} for u in people]
        record_event(run, "urge", comment=comment, details={"users": users})
        settle(run)  # saves the instance, so two urges at once cannot both pass
    return {"notified": users}
