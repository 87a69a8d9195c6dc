"""The warning rules' side of record changes: after a change commits, the rules watching
its form look again at the records it touched, whoever changed them.

After-commit subscribers of ``app.events`` (wired in ``app.wiring``); a rule that cannot
run never undoes the change (``rules.scan_after_change`` writes why to the audit trail).
"""

from __future__ import annotations

from app import events
from app.rules import rules

#: above this many records a bulk write rescans the whole form (one statement either way)
BULK_BY_ID = 1000


def recheck_record(change: events.RecordChange) -> None:
    rules.on_record_changed(change.scope, change.form.key, change.record_id)


def recheck_records(batch: events.RecordsImported) -> None:
    ids = batch.ids
    if len(ids) > BULK_BY_ID:
        rules.rescan_form(batch.scope, batch.form.key)
        return
    for rule in rules.rules_for_form(batch.scope, batch.form.key):
        rules.scan_after_change(batch.scope, rule, ids)
