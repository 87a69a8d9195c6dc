"""What a level change does: to-dos, in-app notifications and emails, optionally as digests.

Recipients are a user, everyone with a role, the head of the record's department, or a
user field of the record. Message templates take ``{{name}}`` placeholders filled from
the alert's facts and the record's fields, as ``template_values`` words them (the same
words the database writes into to-dos); nothing else is evaluated. Emails, texts and
group messages are queued in the delivery log with the scan (emails on the tenant's
system email connector), keyed by the alerts and levels they tell of, so each is queued
once whatever happens.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import insert, select

from app.auth.scope import Scope
from app.connectors import deliveries
from app.connectors.system_email import queue_email, system_email
from app.forms.forms import compiled_by_key
from app.models import (
    Connector,
    Department,
    Notification,
    Role,
    User,
    user_roles,
)
from app.models.base import utcnow
from app.rules import sms_actions
from app.rules.audience import Audience
from app.rules.classify import Classified
from app.rules.template_values import python_values
from form_engine.compiled import CompiledForm

DIGEST_CHARS = 7000  # a digest body stays within what the in-app inbox keeps
DIGEST_ITEMS = DIGEST_CHARS // 20  # more items than one digest shows (each is longer)
PLACEHOLDER = re.compile(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")
DEFAULT_TEMPLATE = (
    "{{level_name}}: {{title}} — 数量 {{quantity}}, 仓库 {{warehouse}}, 剩余 {{days_left}} 天"
)


def render(template: str, values: dict) -> str:
    """``{{name}}`` placeholders filled from ``values`` (unknown names read as empty)."""
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
    #: beside each item, the alert and level it tells of ("<alert id>.<level>")
    marks: dict[tuple[int, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    #: the email deliveries queued, and the system email connector they go through
    emails: list[int] = field(default_factory=list)
    mailer: Connector | None = None
    #: messages for group robots (DingTalk, WeCom), by connector key
    groups: dict[str, list[tuple[str, str, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    deliveries: list[int] = field(default_factory=list)
    #: the Aliyun template of each SMS connector the scan's actions text through
    sms_templates: dict[str, str | None] = field(default_factory=dict)
    #: flows to start once the scan has committed: (action, alert id, level, facts)
    flows: list[tuple[dict, int, str, Classified]] = field(default_factory=list)
    #: digest items counted but not rendered, per recipient and channel
    counted: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))
    sizes: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))

    def add(self, user_id: int, channel: str, texts, link: str, mark: str) -> None:
        key = (user_id, channel)
        if self.digest and self.sizes[key] > DIGEST_CHARS:
            self.counted[key] += 1
            return
        title, text = texts()
        self.items[key].append((title, f"{text}\n{link}"))
        self.marks[key].append(mark)
        self.sizes[key] += len(title) + len(text) + len(link) + 3


class _Records:
    """The records being acted on, read in chunks as they are first needed."""

    def __init__(self, scope: Scope, form: CompiledForm, record_ids: list[int]) -> None:
        self.scope, self.form, self.table, self.ids = scope, form, form.table, record_ids
        self.position = {record_id: i for i, record_id in enumerate(record_ids)}
        self.found: dict[int, dict] = {}
        self.titles: dict[tuple[str, int], str | None] = {}
        self.targets: dict[str, CompiledForm | None] = {}

    def title(self, key: str, record_id: int) -> str | None:
        """The title of the record a relation field of these records points at."""
        if (key, record_id) not in self.titles:
            if key not in self.targets:
                target_key = self.form.fields[key]["relation"]["form"]
                self.targets[key] = compiled_by_key(self.scope, target_key)
            target = self.targets[key]
            title = None
            if target is not None and target.title_key is not None:
                t = target.table
                title = self.scope.session.scalar(
                    select(t.c[target.title_key]).where(
                        t.c.id == record_id, t.c.tenant_id == self.scope.tenant_id
                    )
                )
            self.titles[(key, record_id)] = None if title is None else str(title)
        return self.titles[(key, record_id)]

    def get(self, record_id: int) -> dict:
        if record_id not in self.found:
            start = self.position.get(record_id, 0)
            chunk = self.ids[start : start + 2000] or [record_id]
            for row in self.scope.session.execute(
                select(self.table).where(self.table.c.id.in_(chunk))
            ):
                self.found[row.id] = dict(row._mapping)
            self.found.setdefault(record_id, {})
        return self.found[record_id]


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


def levels_acting_in_python(
    definition: dict, audience: Audience | None = None
) -> dict[str, int | None]:
    """Levels with actions other than to-dos (those the database writes by itself), each
    with how many of its alerts those actions need to see (None: every one).

    A digest to fixed recipients shows its first items and counts the rest, so it needs
    no more alerts than fill one; anything that depends on each record sees them all, as
    does a role some of whose members see only part of the records (``audience``).
    """
    levels = {}
    for level, actions in (definition.get("actions") or {}).items():
        acting = [a for a in actions if a["type"] != "todo"]
        if acting:
            counted = definition.get("digest") and all(_counted_only(a, audience) for a in acting)
            levels[level] = DIGEST_ITEMS if counted else None
    return levels


def _counted_only(action: dict, audience: Audience | None) -> bool:
    """Whether a digest's items past the first few are only counted for this action."""
    spec = action.get("recipients", {})
    return (
        action["type"] == "notify"
        and not action.get("connector")
        and "field" not in spec
        and not spec.get("department_head")
        and not (audience and "role" in spec and audience.narrowed(spec["role"]))
    )


def fire(
    scope: Scope,
    definition: dict,
    form_id: int,
    rule_id: int,
    firing: list[tuple[int, str, Classified]],
    form: CompiledForm,
    outbox: Outbox,
    left_out: dict[str, int] | None = None,
    audience: Audience | None = None,
) -> None:
    """Run the notification and flow actions of each (alert, level) this scan claimed.

    A role's members are told of the records they may open (``audience``), no others.

    In a digest, a recipient's message stops growing once it is longer than any channel
    keeps; later items are only counted, so a scan that flags a hundred thousand batches
    does not render a hundred thousand lines nobody will read. ``left_out`` counts, per
    level, the claimed alerts not even read (see ``levels_acting_in_python``).
    """
    people_cache: dict = {}
    for level, count in (left_out or {}).items():
        for action in definition_actions(definition, level):
            if action["type"] == "todo":
                continue
            people, _ = _people(scope, action.get("recipients", {}), dict, people_cache)
            for channel in _channels(action, outbox):
                for user_id in people:
                    outbox.counted[(user_id, channel)] += count
    records = _Records(scope, form, [row.record_id for _, _, row in firing])
    for alert_id, level, row in firing:
        link = f"/m/forms/{form_id}/records/{row.record_id}"
        for action in definition_actions(definition, level):
            if action["type"] == "todo":
                continue
            if action["type"] == "start_flow":
                outbox.flows.append((action, alert_id, level, row))
                continue

            def texts(action=action, row=row, level=level) -> tuple[str, str]:
                record = records.get(row.record_id)
                values = python_values(form, definition, level, row, record, records.title)
                return _texts(action, values)

            if action.get("connector"):
                title, text = texts()
                outbox.groups[action["connector"]].append(
                    (title, f"{text}\n{link}", alert_id, level)
                )
                continue
            spec = action.get("recipients", {})
            people, _ = _people(scope, spec, lambda r=row: records.get(r.record_id), people_cache)
            if audience is not None and "role" in spec and audience.narrowed(spec["role"]):
                people = audience.who_see(people, records.get(row.record_id))
            for channel in _channels(action, outbox):
                for user_id in people:
                    outbox.add(user_id, channel, texts, link, f"{alert_id}.{level}")


def _channels(action: dict, outbox: Outbox) -> list[str]:
    """The outbox channels of a notify action; texts go by way of their SMS connector."""
    channels = []
    for channel in action.get("channels", ["in_app"]):
        if channel == "sms":
            channel = sms_actions.channel(action)
            outbox.sms_templates[action.get("sms_connector", "")] = action.get("sms_template")
        channels.append(channel)
    return channels


def _texts(action: dict, values: dict) -> tuple[str, str]:
    title = render(action.get("title") or "临期品处理 {{title}}", values)
    return title, render(action.get("template") or DEFAULT_TEMPLATE, values)


def definition_actions(definition: dict, level: str) -> list[dict]:
    return definition.get("actions", {}).get(level, [])


def _people(scope: Scope, spec: dict, record, cache: dict) -> tuple[list[int], int | None]:
    """``resolve_people``, remembered per spec when it does not depend on the record
    (``record`` is called only when it does)."""
    if "field" in spec or spec.get("department_head"):
        return resolve_people(scope, spec, record())
    key = repr(sorted(spec.items()))
    if key not in cache:
        cache[key] = resolve_people(scope, spec, {})
    return cache[key]


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


def _email(
    scope: Scope, outbox: Outbox, user_id: int, marks: list[str], title: str, body: str
) -> None:
    """Queue one email (an item or a digest) on the system email connector; its key is the
    recipient, the alerts and levels it tells of, and its words (two actions of one level
    may write to the same person)."""
    user = scope.session.get(User, user_id)
    if user is None or not user.email:
        return
    if outbox.mailer is None:
        outbox.mailer = system_email(scope)
    stamp = f"{user_id}|{'-'.join(marks)}|{title}|{body}"
    key = f"rule-email-{hashlib.sha256(stamp.encode()).hexdigest()[:32]}"
    queued = queue_email(scope, outbox.mailer, user.email, title, body, key)
    if queued is not None:
        outbox.emails.append(queued)


def deliver(scope: Scope, outbox: Outbox) -> None:
    """Write the gathered messages: one per item, or one digest per recipient and channel."""
    _to_groups(scope, outbox)
    now = utcnow()
    notes: list[dict] = []
    for (user_id, channel), messages in outbox.items.items():
        marks = outbox.marks[(user_id, channel)]
        batches = [messages] if outbox.digest else [[m] for m in messages]
        batch_marks = [marks] if outbox.digest else [[m] for m in marks]
        extra = outbox.counted.get((user_id, channel), 0)
        for batch, marked in zip(batches, batch_marks, strict=True):
            count = len(batch) + extra
            title = batch[0][0] if count == 1 else f"临期品预警汇总 {count} 项"
            body = "\n\n".join(f"{t}\n{b}" for t, b in batch) if count > 1 else batch[0][1]
            if extra:
                body += f"\n\n…… 另有 {extra} 项，请在待办与预警看板中查看"
            if channel == "in_app":
                notes.append(
                    {
                        "tenant_id": scope.tenant_id,
                        "user_id": user_id,
                        "title": title[:300],
                        "body": body[:8000],
                        "link": "/m/todos",
                        "channel": "in_app",
                        "created_at": now,
                    }
                )
            elif channel.startswith("sms:"):
                key = channel.removeprefix("sms:")
                template = outbox.sms_templates.get(key)
                sent = sms_actions.send(scope, key, template, user_id, batch, count)
                if sent is not None:
                    outbox.deliveries.append(sent)
            elif channel == "email":
                _email(scope, outbox, user_id, marked, title, body)
    for start in range(0, len(notes), 5000):
        scope.session.execute(insert(Notification), notes[start : start + 5000])
