"""To-do actions written by the database: one INSERT ... SELECT per action and level.

A scan can fire tens of thousands of to-dos at once; rendering each in Python would be
the per-row loop the scan avoids. The title and body templates are compiled to SQL
string concatenation over the same values ``actions.render`` fills in Python (the
record's fields, then the alert's facts, choices shown by their label), and the assignee
spec to a constant, a column or a department head lookup.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Text, case, cast, func, insert, literal, null, select

from app.auth.scope import Scope
from app.models import Alert, Department, Role, Todo
from app.rules.actions import DEFAULT_TEMPLATE, LEVEL_NAMES, PLACEHOLDER
from form_engine.compiled import CompiledForm
from form_engine.fields import field_type

DEFAULT_TITLE = "临期品处理 {{title}}"


def _text(value):
    return func.coalesce(cast(value, Text), literal(""))


def _shown(form: CompiledForm, key: str | None, value):
    """A choice's label rather than its stored value, as ``actions._shown`` gives it."""
    field = form.fields.get(key) if key else None
    options = (field or {}).get("options")
    if not options:
        return _text(value)
    labels = {str(o["value"]): field_type(field).display(field, str(o["value"])) for o in options}
    return case(labels, value=cast(value, Text), else_=_text(value))


def _facts(form: CompiledForm, d: dict, scan, level) -> dict:
    """The alert's facts, read from the scan table (the quantity keeps its own scale)."""
    return {
        "level": literal(level),
        "level_name": literal(LEVEL_NAMES.get(level, level)),
        "title": _text(scan.c.title),
        "quantity": _text(scan.c.quantity) if d.get("quantity_field") else literal(""),
        "days_left": _text(scan.c.days_left),
        "warehouse": _shown(form, d.get("warehouse_field"), scan.c.warehouse),
        "category": _shown(form, d.get("category_field"), scan.c.category),
        "metric": _text(scan.c.metric),
    }


def _record_fields(form: CompiledForm) -> dict:
    table = form.table
    return {
        name: _text(table.c[name])
        for name in form.expression_types
        if name in table.c and not isinstance(table.c[name].type, JSON)
    }


def _reads_record(templates: list[str], spec: dict, facts: dict) -> bool:
    """Whether the to-do needs the record's row: a placeholder that is not a fact, or an
    assignee taken from the record."""
    names = {name for template in templates for name in PLACEHOLDER.findall(template)}
    return bool(names - facts.keys()) or "field" in spec or bool(spec.get("department_head"))


def template_sql(template: str, values: dict):
    """``{{name}}`` placeholders filled from ``values`` (SQL expressions), in SQL."""
    parts = PLACEHOLDER.split(template)
    pieces = [
        literal(part, Text) if i % 2 == 0 else values.get(part, literal(""))
        for i, part in enumerate(parts)
        if part or i % 2
    ]
    out = pieces[0] if pieces else literal("", Text)
    for piece in pieces[1:]:
        out = out.op("||")(piece)
    return out


def _assignee(scope: Scope, spec: dict, table) -> tuple:
    """(assignee id, candidate role id) as SQL, like ``actions.resolve_people`` decides."""
    if "user" in spec:
        return literal(int(spec["user"])), null()
    if "field" in spec:
        return table.c[spec["field"]], null()
    if "role" in spec:
        role = scope.session.scalar(scope.select(Role).where(Role.code == spec["role"]))
        return null(), (literal(role.id) if role else null())
    if spec.get("department_head"):
        head = (
            select(Department.head_user_id)
            .where(Department.id == table.c.owner_department_id)
            .scalar_subquery()
        )
        return head, null()
    return null(), null()


def write_todos(
    scope: Scope,
    form: CompiledForm,
    d: dict,
    rule_id: int,
    form_id: int,
    scan,
    mine: list,
    now: datetime,
) -> int:
    """Add the to-dos of every alert whose actions this scan claimed; how many."""
    a, table = Alert.__table__, form.table
    written = 0
    for level, actions in (d.get("actions") or {}).items():
        for action in actions:
            if action["type"] != "todo":
                continue
            facts = _facts(form, d, scan, level)
            spec = action.get("assignee", {})
            title = action.get("title") or DEFAULT_TITLE
            template = action.get("template") or DEFAULT_TEMPLATE
            reads_record = _reads_record([title, template], spec, facts)
            values = {**_record_fields(form), **facts} if reads_record else facts
            assignee, role = _assignee(scope, spec, table)
            rows = (
                select(
                    literal(scope.tenant_id),
                    a.c.id,
                    literal(rule_id),
                    literal(form_id),
                    a.c.record_id,
                    func.substr(template_sql(title, values), 1, 300),
                    func.substr(template_sql(template, values), 1, 4000),
                    a.c.level,
                    scan.c.days_left,
                    scan.c.quantity,
                    scan.c.category,
                    scan.c.warehouse,
                    assignee,
                    role,
                    literal("open"),
                    literal(now),
                    literal(now),
                )
                .select_from(a)
                .join(scan, scan.c.record_id == a.c.record_id)
                .where(*mine, a.c.fired_at == now, a.c.level == level)
            )
            if reads_record:
                rows = rows.join(table, table.c.id == a.c.record_id)
            written += scope.session.execute(
                insert(Todo.__table__)
                .from_select(
                    [
                        "tenant_id",
                        "alert_id",
                        "rule_id",
                        "form_id",
                        "record_id",
                        "title",
                        "body",
                        "level",
                        "days_left",
                        "quantity",
                        "category",
                        "warehouse",
                        "assignee_id",
                        "candidate_role_id",
                        "status",
                        "created_at",
                        "updated_at",
                    ],
                    rows,
                )
                .execution_options(preserve_rowcount=True)
            ).rowcount
    return written
