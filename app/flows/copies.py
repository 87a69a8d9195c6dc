"""Telling people about a flow: copy them in (a row in their "CC to me" box and a
notification) or send them a notification about their task or instance.

Every notification of a flow is built here (``notice``, written by ``notify``): cc nodes and
an approver copying people in, urging, timeouts, and a seat that opens. The history entry
is the caller's; nothing here commits or moves the flow.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.auth.scope import Scope
from app.errors import ValidationError
from app.flows.people import ScopeDirectory
from app.models import FlowInstance, FlowTask, Notification
from app.models.base import utcnow

MAX_PEOPLE = 50


def task_link(task_id: int) -> str:
    """The task on the phone (the console maps it to its own task page)."""
    return f"/m/tasks/{task_id}"


def instance_link(instance_id: int) -> str:
    return f"/flows/instances/{instance_id}"


def notice(user_id: int, title: str, body: str, link: str) -> dict:
    """The columns of one in-app notification, cut to what the inbox holds."""
    return {
        "user_id": user_id,
        "title": title[:300],
        "body": body[:8000],
        "link": link,
        "channel": "in_app",
        "created_at": utcnow(),
    }


def seat_notice(seat: FlowTask, instance_title: str) -> dict:
    """The notification that a seat opened for its holder; it opens the task on the phone."""
    return notice(
        seat.assignee_id,
        f"待审批：{instance_title}",
        f"请处理“{seat.node_name}”。",
        task_link(seat.id),
    )


def notify(scope: Scope, users: Iterable[int], title: str, body: str, link: str) -> None:
    """Tell each person in their in-app inbox."""
    for user_id in users:
        scope.add(Notification(**notice(user_id, title, body, link)))


def active_people(scope: Scope, user_ids: object, path: str = "user_ids") -> list[int]:
    """The ids as a list of active users of the tenant, or a 422 naming the wrong ones."""
    if not isinstance(user_ids, list) or not user_ids:
        raise ValidationError("Name at least one person.", {path: ["Required."]})
    if len(user_ids) > MAX_PEOPLE:
        raise ValidationError(f"At most {MAX_PEOPLE} people.", {path: [f"At most {MAX_PEOPLE}."]})
    found = ScopeDirectory(scope).user_ids([str(u) for u in user_ids])
    errors = {
        f"{path}.{i}": ["No such active user."]
        for i, u in enumerate(user_ids)
        if str(u) not in found
    }
    if errors:
        raise ValidationError("No such active user.", errors)
    return list(dict.fromkeys(user_ids))


def active_person(scope: Scope, user_id: int, path: str = "user_id") -> int:
    """The id of an active user of the tenant, or a 422 at ``path``."""
    if str(user_id) not in ScopeDirectory(scope).user_ids([str(user_id)]):
        raise ValidationError("No such active user.", {path: ["No such active user."]})
    return user_id


def copy_in(
    scope: Scope,
    instance: FlowInstance,
    node_id: str,
    node_name: str,
    people: list[int],
    body: str | None = None,
) -> None:
    """Put the instance in each person's "CC to me" box, as copied at the node, and tell
    them (``body``, the node's name unless given)."""
    for user_id in people:
        scope.add(
            FlowTask(
                instance_id=instance.id,
                kind="cc",
                engine_task_id="",
                node_id=node_id,
                node_name=node_name,
                assignee_id=user_id,
                candidates=people,
                status="cc",
            )
        )
    title = f"抄送：{instance.title}"
    notify(scope, people, title, node_name if body is None else body, instance_link(instance.id))
