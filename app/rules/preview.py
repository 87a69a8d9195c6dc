"""What-if: what a draft rule would flag, by level and by category and warehouse, and how
that differs from the published version, before anything is published or fired.

The draft's classification, beside each row's published level, is written once into a
temporary table; the totals, groups, sample and moves are then small queries over it.
Nothing leaves the database but those few hundred figures.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    case,
    cast,
    func,
    insert,
    literal_column,
    null,
    select,
)

from app.auth.scope import Scope
from app.forms.forms import compiled_by_key
from app.rules import temp_tables
from app.rules.board import plain_number
from app.rules.classify import classification_query
from app.rules.rules import check_definition, get_rule, published_definition, system_access

LEVEL_ORDER = ("expired", "red", "yellow", "green", "unknown")
SAMPLE = 50

PREVIEW = Table(
    "rule_preview",
    MetaData(),
    Column("record_id", BigInteger, primary_key=True),
    Column("level", String(16), nullable=False),
    Column("metric", Numeric()),
    Column("days_left", Integer),
    Column("quantity", Numeric()),
    Column("value", Numeric()),
    Column("category", String(200)),
    Column("warehouse", String(200)),
    Column("title", String(300)),
    #: the published version's level ("none": it does not look at the row; NULL: no
    #: published version)
    Column("before", String(16)),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)


def _classified(scope: Scope, definition: dict, name: str):
    form = compiled_by_key(scope, definition["form"])
    query = classification_query(
        form, definition, system_access(scope), lambda key: compiled_by_key(scope, key)
    )
    return query.subquery(name)


def _known(level):
    # a constant written into the SQL, so GROUP BY sees the same expression as SELECT
    return func.coalesce(level, literal_column("'unknown'"))


def _text(column, length: int):
    return func.substr(cast(column, Text), 1, length)


def _fill(scope: Scope, definition: dict, published: dict | None) -> None:
    rows = _classified(scope, definition, "draft")
    columns = [
        rows.c.id,
        _known(rows.c.level),
        rows.c.metric,
        rows.c.days_left,
        rows.c.quantity,
        rows.c.value,
        _text(rows.c.category, 200),
        _text(rows.c.warehouse, 200),
        _text(rows.c.title, 300),
    ]
    if published is None:
        stmt = select(*columns, null())
    else:
        before = _classified(scope, published, "published")
        was = case((before.c.id.is_(None), literal_column("'none'")), else_=_known(before.c.level))
        stmt = select(*columns, was).select_from(rows.outerjoin(before, before.c.id == rows.c.id))
    scope.session.execute(insert(PREVIEW).from_select([c.name for c in PREVIEW.c], stmt))
    temp_tables.analyze(scope, PREVIEW)


def _totals(scope: Scope, group: list) -> dict:
    """count, quantity and value per group; the key joins the group's values with "|"."""
    p = PREVIEW.c
    stmt = select(*group, func.count(), func.sum(p.quantity), func.sum(p.value)).group_by(*group)
    return {
        "|".join("-" if v is None else str(v) for v in row[: len(group)]): {
            "count": row[-3],
            "quantity": plain_number(row[-2]),
            "value": plain_number(row[-1]),
        }
        for row in scope.session.execute(stmt)
    }


def _sample(scope: Scope) -> list[dict]:
    p = PREVIEW.c
    order = case({level: i for i, level in enumerate(LEVEL_ORDER)}, value=p.level)
    stmt = (
        select(p.record_id, p.title, p.level, p.days_left, p.metric)
        .order_by(order, func.coalesce(p.days_left, 0), p.record_id)
        .limit(SAMPLE)
    )
    return [
        {
            "record_id": row.record_id,
            "title": row.title or "",
            "level": row.level,
            "days_left": row.days_left,
            "metric": None if row.metric is None else plain_number(row.metric),
        }
        for row in scope.session.execute(stmt)
    ]


def _changes(scope: Scope) -> dict[str, int]:
    """How many rows would move from their published level to the draft's."""
    p = PREVIEW.c
    stmt = (
        select(p.before, p.level, func.count())
        .where(p.before != p.level)
        .group_by(p.before, p.level)
    )
    return {f"{old}->{new}": count for old, new, count in scope.session.execute(stmt)}


def preview(scope: Scope, rule_id: int, draft: dict | None = None) -> dict:
    rule = get_rule(scope, rule_id)
    definition = draft if draft is not None else rule.draft
    check_definition(scope, definition)
    published = published_definition(scope, rule)
    temp_tables.create(scope, PREVIEW)
    _fill(scope, definition, published)
    by_level = _totals(scope, [PREVIEW.c.level])
    empty = {"count": 0, "quantity": "0", "value": "0"}
    result = {
        "levels": {name: by_level.get(name, empty) for name in LEVEL_ORDER},
        "by_category": _totals(scope, [PREVIEW.c.category, PREVIEW.c.level]),
        "by_warehouse": _totals(scope, [PREVIEW.c.warehouse, PREVIEW.c.level]),
        "sample": _sample(scope),
        "changes": None if published is None else _changes(scope),
    }
    temp_tables.drop(scope, PREVIEW)
    return result
