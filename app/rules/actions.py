"""What a level change does: to-dos, in-app notifications and emails, optionally as digests.

Recipients are a user, everyone with a role, the head of the record's department, or a
user field of the record. Message templates take ``{{name}}`` placeholders filled from
the alert's facts and the record's fields; nothing else is evaluated.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from app.auth.scope import Scope
from app.connectors import deliveries
from app.models import (
    Connector,
    Department,
    EmailDelivery,
    Notification,
    Role,
    Todo,
    User,
    user_roles,
)
from app.models.base import utcnow
from app.rules.classify import Classified
from form_engine.compiled import CompiledForm
from form_engine.fields import field_type

LEVEL_NAMES = {"yellow": "黄牌 Yellow", "red": "红牌 Red", "expired": "已过期 Expired"}
PLACEHOLDER = re.compile(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")
DEFAULT_TEMPLATE = (
    "{{level_name}}: {{title}} — 数量 {{quantity}}, 仓库 {{warehouse}}, 剩余 {{days_left}} 天"
)


def render(template: str, values: dict) -> str:
    return PLACEHOLDER.sub(
        lambda m: "" if values.get(m.group(1)) is None else str(values[m.group(1)]), template
    )


@dataclass
class Outbox:
    """Messages gathered during one scan, so digests can merge them per recipient."""

    digest: bool
    items: dict[tuple[int, str], list[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    emails: list[int] = field(default_factory=list)
    #: messages for group robots (DingTalk, WeCom), by connector key
    groups: dict[str, list[tuple[str, str, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    deliveries: list[int] = field(default_factory=list)


def _record(scope: Scope, form: CompiledForm, record_id: int) -> dict:
    row = scope.session.execute(select(form.table).where(form.table.c.id == record_id)).first()
    return dict(row._mapping) if row else {}


def resolve_people(scope: Scope, spec: dict, record: dict) -> tuple[list[int], int | None]:
    """(user ids, role id for a shared to-do) for an assignee or recipients spec."""
    session = scope.session
    if "user" in spec:
        return [int(spec["user"])], None
    if "field" in spec:
        value = record.get(spec["field"])
        return ([int(value)] if value else []), None
    if "role" in spec:
        role = session.scalar(scope.select(Role).where(Role.code == spec["role"]))
        if role is None:
            return [], None
        members = session.scalars(
            select(user_roles.c.user_id).where(user_roles.c.role_id == role.id)
        ).all()
        return list(members), role.id
    if spec.get("department_head"):
        dept_id = record.get("owner_department_id")
        dept = session.get(Department, dept_id) if dept_id else None
        return ([dept.head_user_id] if dept and dept.head_user_id else []), None
    return [], None


def _shown(form: CompiledForm, key: str | None, value) -> str:
    """A choice's label rather than its stored value (华东仓, not east)."""
    if not key or key not in form.fields or value is None:
        return "" if value is None else str(value)
    field = form.fields[key]
    return field_type(field).display(field, value)


def _values(row: Classified, level: str, record: dict, form: CompiledForm, definition: dict):
    plain = {k: v for k, v in record.items() if not isinstance(v, dict | list)}
    return {
        **plain,
        "level": level,
        "level_name": LEVEL_NAMES.get(level, level),
        "title": row.title,
        "quantity": row.quantity,
        "days_left": row.days_left,
        "warehouse": _shown(form, definition.get("warehouse_field"), row.warehouse),
        "category": _shown(form, definition.get("category_field"), row.category),
        "metric": row.metric,
    }


def fire(
    scope: Scope,
    definition: dict,
    form_id: int,
    rule_id: int,
    alert_id: int,
    level: str,
    row: Classified,
    form: CompiledForm,
    outbox: Outbox,
) -> None:
    record = _record(scope, form, row.record_id)
    values = _values(row, level, record, form, definition)
    link = f"/m/forms/{form_id}/records/{row.record_id}"
    for action in definition.get("actions", {}).get(level, []):
        title = render(action.get("title") or "临期品处理 {{title}}", values)
        text = render(action.get("template") or DEFAULT_TEMPLATE, values)
        if action["type"] == "todo":
            people, role_id = resolve_people(scope, action.get("assignee", {}), record)
            scope.add(
                Todo(
                    alert_id=alert_id,
                    rule_id=rule_id,
                    form_id=form_id,
                    record_id=row.record_id,
                    title=title[:300],
                    body=text[:4000],
                    level=level,
                    days_left=row.days_left,
                    quantity=row.quantity,
                    category=row.category,
                    warehouse=row.warehouse,
                    assignee_id=people[0] if len(people) == 1 and not role_id else None,
                    candidate_role_id=role_id,
                )
            )
        elif action.get("connector"):
            outbox.groups[action["connector"]].append((title, f"{text}\n{link}", alert_id, level))
        else:
            people, _ = resolve_people(scope, action.get("recipients", {}), record)
            for channel in action.get("channels", ["in_app"]):
                for user_id in people:
                    outbox.items[(user_id, channel)].append((title, f"{text}\n{link}"))


def _to_groups(scope: Scope, outbox: Outbox) -> None:
    """One delivery per message (or per digest) through the named robot connector; the
    idempotency key is the alert and level, so a message is queued once whatever happens."""
    for key, messages in outbox.groups.items():
        connector = scope.session.scalar(scope.select(Connector).where(Connector.key == key))
        if connector is None or not connector.enabled:
            continue
        batches = [messages] if outbox.digest else [[m] for m in messages]
        for batch in batches:
            text = "\n\n".join(f"{t}\n{b}" for t, b, _, _ in batch)
            ids = "-".join(f"{a}.{lvl}" for _, _, a, lvl in batch)
            digest = hashlib.sha256(ids.encode()).hexdigest()[:32]
            delivery = deliveries.enqueue(
                scope,
                connector.id,
                "send_text",
                {"content": text},
                f"rule-{key}-{digest}",
                commit=False,
            )
            outbox.deliveries.append(delivery.id)


def deliver(scope: Scope, outbox: Outbox) -> None:
    """Write the gathered messages: one per item, or one digest per recipient and channel."""
    _to_groups(scope, outbox)
    now = utcnow()
    for (user_id, channel), messages in outbox.items.items():
        batches = [messages] if outbox.digest else [[m] for m in messages]
        for batch in batches:
            title = batch[0][0] if len(batch) == 1 else f"临期品预警汇总 {len(batch)} 项"
            body = "\n\n".join(f"{t}\n{b}" for t, b in batch) if len(batch) > 1 else batch[0][1]
            if channel == "in_app":
                scope.add(
                    Notification(
                        user_id=user_id,
                        title=title[:300],
                        body=body[:8000],
                        link="/m/todos",
                        channel="in_app",
                        created_at=now,
                    )
                )
            elif channel == "email":
                user = scope.session.get(User, user_id)
                if user is None or not user.email:
                    continue
                delivery = scope.add(
                    EmailDelivery(
                        to_address=user.email,
                        subject=title[:300],
                        body=body[:20000],
                        created_at=now,
                    )
                )
                scope.session.flush()
                outbox.emails.append(delivery.id)
