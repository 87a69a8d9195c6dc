"""The to-do centre: a person's open to-dos, claiming, completing, and handling times."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select, true, update

from app import events
from app.auth.scope import Scope
from app.errors import Conflict, NotFound
from app.forms.access import access_for
from app.forms.forms import compiled
from app.models import Alert, Notification, Rule, Todo, user_roles
from app.models.base import utcnow
from form_engine.access import visible_rows

FILTERS = ("level", "warehouse", "category", "status")


def _mine(scope: Scope):
    """To-dos for me or shared with one of my roles, about records I can open."""
    roles = select(user_roles.c.role_id).where(user_roles.c.user_id == scope.user.id)
    assigned = or_(
        Todo.assignee_id == scope.user.id,
        Todo.assignee_id.is_(None) & Todo.candidate_role_id.in_(roles),
    )
    return and_(assigned, _openable(scope))


def _openable(scope: Scope):
    """To-dos whose record lies in my data scope: a clerk's role shares the to-dos of every
    warehouse, he works those of his own (the records list decides the same way)."""
    access = access_for(scope)
    if access.scope == "all":
        return true()
    form_ids = scope.session.scalars(
        scope.select(Todo, Todo.form_id).where(Todo.form_id.is_not(None)).distinct()
    ).all()
    clauses = [Todo.form_id.is_(None)]
    for form_id in form_ids:
        try:
            table = compiled(scope, form_id)[1].table
        except (NotFound, Conflict):  # the form went away: nobody can open its records
            continue
        visible = select(table.c.id).where(visible_rows(access, table))
        clauses.append(and_(Todo.form_id == form_id, Todo.record_id.in_(visible)))
    return or_(*clauses)


def list_todos(scope: Scope, filters: dict, page: int, page_size: int) -> dict:
    stmt = scope.select(Todo).where(_mine(scope))
    stmt = stmt.where(
        Todo.status.in_(["open", "claimed"])
        if not filters.get("status")
        else Todo.status == filters["status"]
    )
    for key in ("level", "warehouse", "category"):
        if filters.get(key):
            stmt = stmt.where(getattr(Todo, key) == filters[key])
    if filters.get("max_days_left") is not None:
        stmt = stmt.where(Todo.days_left <= filters["max_days_left"])
    total = scope.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = scope.session.scalars(
        stmt.order_by(Todo.days_left.asc().nulls_last(), Todo.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    name_rules(scope, items)
    return {"items": items, "total": total, "page": page, "page_size": page_size}


def name_rules(scope: Scope, todos: list[Todo]) -> list[Todo]:
    """Give each to-do its rule's name (``rule_name``), read in one query."""
    ids = {t.rule_id for t in todos if t.rule_id}
    rows = scope.session.execute(
        scope.select(Rule, Rule.id, Rule.label, Rule.key).where(Rule.id.in_(ids))
    ).all()
    names = {
        rid: (label or {}).get("zh") or (label or {}).get("en") or key for rid, label, key in rows
    }
    for todo in todos:
        todo.rule_name = names.get(todo.rule_id)
    return todos


def _own_todo(scope: Scope, todo_id: int) -> Todo:
    todo = scope.session.scalar(scope.select(Todo).where(Todo.id == todo_id, _mine(scope)))
    if todo is None:
        raise NotFound(f"No to-do with id {todo_id}.")
    return todo


def claim(scope: Scope, todo_id: int) -> Todo:
    todo = _own_todo(scope, todo_id)
    taken = scope.session.execute(
        update(Todo)
        .where(Todo.id == todo.id, Todo.status == "open")
        .values(status="claimed", assignee_id=scope.user.id, updated_at=utcnow())
    ).rowcount
    if not taken and todo.assignee_id != scope.user.id:
        raise Conflict("Someone else has claimed this to-do.")
    scope.session.commit()
    scope.session.refresh(todo)
    return name_rules(scope, [todo])[0]


def complete(scope: Scope, todo_id: int, result: str) -> Todo:
    todo = _own_todo(scope, todo_id)
    if todo.status == "done":
        raise Conflict("This to-do is done already.")
    now = utcnow()
    todo.status, todo.result, todo.done_at = "done", result, now
    todo.assignee_id = todo.assignee_id or scope.user.id
    if todo.alert_id:
        alert = scope.session.get(Alert, todo.alert_id)
        if alert is not None and alert.handled_at is None:
            alert.handled_at, alert.handled_by = now, scope.user.id
    events.emit(events.todo_completed, events.TodoCompleted(scope, todo))
    scope.session.commit()
    return name_rules(scope, [todo])[0]


def list_notifications(scope: Scope, unread_only: bool) -> list[Notification]:
    stmt = scope.select(Notification).where(Notification.user_id == scope.user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return list(scope.session.scalars(stmt.order_by(Notification.id.desc()).limit(200)))


def mark_read(scope: Scope, notification_id: int) -> Notification:
    note = scope.get(Notification, notification_id, "notification")
    if note.user_id != scope.user.id:
        raise NotFound(f"No notification with id {notification_id}.")
    note.read_at = note.read_at or utcnow()
    scope.session.commit()
    return note
