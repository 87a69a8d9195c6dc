"""What-if: what a draft rule would flag, by level and by category and warehouse, and how
that differs from the published version, before anything is published or fired."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from app.auth.scope import Scope
from app.forms.forms import compiled_by_key
from app.rules.classify import Classified, classify
from app.rules.rules import check_definition, get_rule, published_definition, system_access

LEVEL_ORDER = ("expired", "red", "yellow", "green", "unknown")


def _totals(rows: list[Classified], key) -> dict:
    out: dict = defaultdict(lambda: {"count": 0, "quantity": Decimal(0), "value": Decimal(0)})
    for row in rows:
        bucket = out[key(row)]
        bucket["count"] += 1
        bucket["quantity"] += row.quantity or 0
        bucket["value"] += row.value or 0
    return {
        k: {**v, "quantity": str(v["quantity"]), "value": str(v["value"])} for k, v in out.items()
    }


def _run(scope: Scope, definition: dict) -> list[Classified]:
    form = compiled_by_key(scope, definition["form"])
    return classify(
        scope.session.connection(),
        form,
        definition,
        system_access(scope),
        lambda key: compiled_by_key(scope, key),
    )


def preview(scope: Scope, rule_id: int, draft: dict | None = None) -> dict:
    rule = get_rule(scope, rule_id)
    definition = draft if draft is not None else rule.draft
    check_definition(scope, definition)
    rows = _run(scope, definition)
    level_of = lambda r: r.level or "unknown"  # noqa: E731
    by_level = _totals(rows, level_of)
    result = {
        "levels": {
            level: by_level.get(level, {"count": 0, "quantity": "0", "value": "0"})
            for level in LEVEL_ORDER
        },
        "by_category": _totals(rows, lambda r: f"{r.category or '-'}|{level_of(r)}"),
        "by_warehouse": _totals(rows, lambda r: f"{r.warehouse or '-'}|{level_of(r)}"),
        "sample": [
            {
                "record_id": r.record_id,
                "title": r.title,
                "level": level_of(r),
                "days_left": r.days_left,
                "metric": None if r.metric is None else str(r.metric),
            }
            for r in sorted(rows, key=lambda r: (LEVEL_ORDER.index(level_of(r)), r.days_left or 0))[
                :50
            ]
        ],
        "changes": None,
    }
    published = published_definition(scope, rule)
    if published is not None:
        before = {r.record_id: level_of(r) for r in _run(scope, published)}
        moves = Counter(
            f"{before.get(r.record_id, 'none')}->{level_of(r)}"
            for r in rows
            if before.get(r.record_id) != level_of(r)
        )
        result["changes"] = dict(moves)
    return result
