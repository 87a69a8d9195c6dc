"""What-if: what a draft rule would flag, by level and by category and warehouse, and how
that differs from the published version, before anything is published or fired.

Everything is counted and summed by the database over the classification query, so a
preview of a million batches reads a few hundred rows, not a million.
"""

from __future__ import annotations

from sqlalchemy import case, func, literal_column, select

from app.auth.scope import Scope
from app.forms.forms import compiled_by_key
from app.rules.board import plain_number
from app.rules.classify import classification_query
from app.rules.rules import check_definition, get_rule, published_definition, system_access

LEVEL_ORDER = ("expired", "red", "yellow", "green", "unknown")
SAMPLE = 50


def _classified(scope: Scope, definition: dict, name: str):
    form = compiled_by_key(scope, definition["form"])
    query = classification_query(
        form, definition, system_access(scope), lambda key: compiled_by_key(scope, key)
    )
    return query.subquery(name)


def _level(rows):
    # a constant written into the SQL: GROUP BY must see the same expression as SELECT
    return func.coalesce(rows.c.level, literal_column("'unknown'"))


def _totals(scope: Scope, rows, group: list) -> dict:
    """count, quantity and value per group; the key joins the group's values with "|"."""
    stmt = select(*group, func.count(), func.sum(rows.c.quantity), func.sum(rows.c.value)).group_by(
        *group
    )
    return {
        "|".join("-" if v is None else str(v) for v in row[: len(group)]): {
            "count": row[-3],
            "quantity": plain_number(row[-2]),
            "value": plain_number(row[-1]),
        }
        for row in scope.session.execute(stmt)
    }


def _sample(scope: Scope, rows) -> list[dict]:
    order = case({level: i for i, level in enumerate(LEVEL_ORDER)}, value=_level(rows))
    stmt = (
        select(rows.c.id, rows.c.title, _level(rows), rows.c.days_left, rows.c.metric)
        .order_by(order, func.coalesce(rows.c.days_left, 0), rows.c.id)
        .limit(SAMPLE)
    )
    return [
        {
            "record_id": row.id,
            "title": "" if row.title is None else str(row.title),
            "level": row[2],
            "days_left": None if row.days_left is None else int(row.days_left),
            "metric": None if row.metric is None else plain_number(row.metric),
        }
        for row in scope.session.execute(stmt)
    ]


def _changes(scope: Scope, rows, published: dict) -> dict[str, int]:
    """How many rows would move from their published level ("none": not looked at) to the
    draft's, keyed "before->after"."""
    before = _classified(scope, published, "published")
    was = case((before.c.id.is_(None), literal_column("'none'")), else_=_level(before))
    stmt = (
        select(was, _level(rows), func.count())
        .select_from(rows.outerjoin(before, before.c.id == rows.c.id))
        .where(was != _level(rows))
        .group_by(was, _level(rows))
    )
    return {f"{old}->{new}": count for old, new, count in scope.session.execute(stmt)}


def preview(scope: Scope, rule_id: int, draft: dict | None = None) -> dict:
    rule = get_rule(scope, rule_id)
    definition = draft if draft is not None else rule.draft
    check_definition(scope, definition)
    rows = _classified(scope, definition, "draft")
    level = _level(rows)
    by_level = _totals(scope, rows, [level])
    empty = {"count": 0, "quantity": "0", "value": "0"}
    published = published_definition(scope, rule)
    return {
        "levels": {name: by_level.get(name, empty) for name in LEVEL_ORDER},
        "by_category": _totals(scope, rows, [rows.c.category, level]),
        "by_warehouse": _totals(scope, rows, [rows.c.warehouse, level]),
        "sample": _sample(scope, rows),
        "changes": None if published is None else _changes(scope, rows, published),
    }
