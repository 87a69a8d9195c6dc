"""Data generations: a counter per (tenant, source) that grows after each commit that
changed the source's data, so that a cached chart result computed at older generations is
never served again, whichever web process cached it.

Sources are a form's records (``form:<id>``) and a warning rule's alerts (``rule:<id>``),
which change when a scan moves them and when a to-do about one is done (it is handled then).
The subscribers here run after the commit of a record change, a bulk import, a rule scan or
a finished to-do (``app.wiring``), each in a transaction of its own; if one fails, cached
results of that source stay until they expire (``GS_DASHBOARD_CACHE_SECONDS``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app import events
from app.auth.scope import Scope
from app.models import DataGeneration


def form_source(form_id: int) -> str:
    return f"form:{form_id}"


def rule_source(rule_id: int) -> str:
    return f"rule:{rule_id}"


def current(scope: Scope, sources: Iterable[str]) -> dict[str, int]:
    """The generation of each source (0 for a source never changed)."""
    wanted = sorted(set(sources))
    rows = scope.session.execute(
        select(DataGeneration.source, DataGeneration.generation).where(
            DataGeneration.tenant_id == scope.tenant_id, DataGeneration.source.in_(wanted)
        )
    )
    found = dict(rows.all())
    return {source: found.get(source, 0) for source in wanted}


def bump(scope: Scope, sources: Iterable[str]) -> None:
    """Count one more change of each source, and commit."""
    table = DataGeneration.__table__
    dialect = postgresql if scope.session.get_bind().dialect.name == "postgresql" else sqlite
    for source in sorted(set(sources)):
        stmt = dialect.insert(table).values(tenant_id=scope.tenant_id, source=source, generation=1)
        scope.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["tenant_id", "source"],
                set_={"generation": table.c.generation + 1},
            )
        )
    scope.session.commit()


def record_changed(change: events.RecordChange) -> None:
    bump(change.scope, [form_source(change.form.id)])


def records_imported(batch: events.RecordsImported) -> None:
    bump(batch.scope, [form_source(batch.form.id)])


def alert_levels_changed(change: events.AlertLevelsChanged) -> None:
    bump(change.scope, [rule_source(change.rule_id)])


def todo_completed(done: events.TodoCompleted) -> None:
    """A to-do about an alert marks it handled: charts of the rule's alerts read that."""
    if done.todo.rule_id is not None:
        bump(done.scope, [rule_source(done.todo.rule_id)])
