"""To-do actions written by the database: one INSERT ... SELECT per action and level.

A scan can fire tens of thousands of to-dos at once; rendering each in Python would be
the per-row loop the scan avoids. The title and body templates are compiled to SQL
string concatenation over the same values ``actions.render`` fills in Python, worded in
SQL by the same rule (``template_values``: the record's fields, then the alert's facts),
and the assignee spec to a constant, a column or a department head lookup.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, func, insert, literal, null, select

from app.auth.scope import Scope
from app.forms.forms import compiled_by_key
from app.models import Alert, Department, Role, Todo
from app.rules.actions import DEFAULT_TEMPLATE, PLACEHOLDER
from app.rules.classify import related_value
from app.rules.template_values import sql_facts, sql_record_values
from form_engine.compiled import CompiledForm

DEFAULT_TITLE = "临期品处理 {{title}}"


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
    dialect = scope.session.get_bind().dialect.name
    written = 0

    def titles(key: str):
        forms_by_key = lambda k: compiled_by_key(scope, k)  # noqa: E731
        return related_value(form, [key], None, scope.tenant_id, forms_by_key)

    for level, actions in (d.get("actions") or {}).items():
        for action in actions:
            if action["type"] != "todo":
                continue
            facts = sql_facts(form, d, scan, level, dialect)
            spec = action.get("assignee", {})
            title = action.get("title") or DEFAULT_TITLE
            template = action.get("template") or DEFAULT_TEMPLATE
            reads_record = _reads_record([title, template], spec, facts)
            values = (
                {**sql_record_values(form, dialect, titles), **facts} if reads_record else facts
            )
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
