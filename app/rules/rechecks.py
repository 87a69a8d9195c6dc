"""The warning rules' side of record changes: after a change commits, the rules watching
its form look again at the records it touched, whoever changed them.

After-commit subscribers of ``app.events`` (wired in ``app.wiring``); a rule that cannot
run never undoes the change (``rules.scan_after_change`` writes why to the audit trail).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from app import events
from app.auth.scope import Scope
from app.rules import rules

#: above this many records a bulk write rescans the whole form (one statement either way)
BULK_BY_ID = 1000

#: the forms whose rechecks wait for the end of a ``held`` block, when one is open
_held: ContextVar[set[str] | None] = ContextVar("gs_rechecks_held", default=None)


@contextmanager
def held(scope: Scope) -> Iterator[None]:
    """Rechecks wait while the block writes, chunk after chunk, and each form it touched
    is rescanned once when it ends (a template's demo records: one scan of 20,000 batches
    rather than one per chunk, and one digest of alerts rather than one per chunk). A
    block that fails rescans nothing; the scheduled scan looks again."""
    forms: set[str] = set()
    token = _held.set(forms)
    try:
        yield
    finally:
        _held.reset(token)
    for form_key in sorted(forms):
        rules.rescan_form(scope, form_key)


def _waiting(form_key: str) -> bool:
    forms = _held.get()
    if forms is None:
        return False
    forms.add(form_key)
    return True


def recheck_record(change: events.RecordChange) -> None:
    if not _waiting(change.form.key):
        rules.on_record_changed(change.scope, change.form.key, change.record_id)


def recheck_records(batch: events.RecordsImported) -> None:
    if _waiting(batch.form.key):
        return
    ids = batch.ids
    if len(ids) > BULK_BY_ID:
        rules.rescan_form(batch.scope, batch.form.key)
        return
    for rule in rules.rules_for_form(batch.scope, batch.form.key):
        rules.scan_after_change(batch.scope, rule, ids)
