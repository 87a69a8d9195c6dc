"""Stock ledgers: each record of a ledger form posts its quantity to the record it relates to.

A form whose metadata carries a ``ledger`` setting (``form_engine.ledger``: a stock move
naming its batch, a quantity and a direction) keeps a number field of the related record,
the batch's quantity on hand, equal to the sum of its moves. These are in-transaction
subscribers of ``app.events``, connected in ``app.wiring``:

- a move created, changed, deleted or restored posts the difference it makes to each batch
  concerned, under the batch's row lock, through ``write_record``: the batch's own audit
  entry, webhooks and warning-rule rechecks follow as for any change of it;
- moves written in bulk (an import, an ERP pull) are posted together, one conditional
  update per batch, and the batches are announced as one bulk write (``write_records``);
- a record of a form with a ``limit`` (a disposal order) that asks for more than its
  related record holds is refused, as a move would be, though it posts nothing itself
  (records written in bulk are not: an import carries past orders).

A posting that would take a batch below zero raises a 422 naming the move's quantity
field, and so the writer's whole change rolls back: the move is not saved either. Batches
are locked in id order, so two postings never wait for each other in a circle. This module
posts and checks; it never commits, and never decides who may write a move (the move's own
write did, and its relation only names batches its writer can see).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa

from app import events
from app.auth.scope import Scope
from app.errors import NotFound, ValidationError
from app.forms.access import tenant_today, whole_tenant_access
from app.forms.forms import compiled
from app.forms.records import write_record, write_records
from app.models import Form
from form_engine import expr, records
from form_engine import ledger as ledger_setting
from form_engine.compiled import CompiledForm

SHORT = "Not enough on hand: {have} left, this takes {take}."
CHUNK = 5000


def _ledger_of(scope: Scope, form: Form) -> tuple[dict, CompiledForm, Form] | None:
    """The form's ledger setting, the form it posts to and that form's row; None for a
    form without a ledger."""
    if form.published_version is None:
        return None
    setting = compiled(scope, form.id)[1].meta.get("ledger")
    if not setting:
        return None
    target_key = compiled(scope, form.id)[1].fields[setting["relation"]]["relation"]["form"]
    target = scope.session.scalar(scope.select(Form).where(Form.key == target_key))
    if target is None or target.published_version is None:
        message = f"No published form '{target_key}'."
        raise ValidationError(message, {setting["relation"]: [message]})
    return setting, compiled(scope, target.id)[1], target


def _number(form: CompiledForm, key: str, amount: Decimal) -> int | Decimal:
    return int(amount) if form.fields[key]["type"] == "integer" else amount


def _plain(amount: Decimal) -> str:
    return f"{amount.normalize():f}"


def post_change(change: events.RecordChange) -> None:
    """Post what one created, changed, deleted or restored move changes on its batches."""
    found = _ledger_of(change.scope, change.form)
    if found is None:
        return
    setting, target, target_row = found
    moves = ledger_setting.net_change(setting, change.before, change.record)
    if not moves:
        return
    scope = change.scope
    access = whole_tenant_access(scope, scope.user)
    conn = scope.session.connection()
    key, quantity = setting["target"], setting["quantity"]
    for target_id in sorted(moves):
        try:
            row = records.load_row(conn, target, target_id, access, lock=True)
        except NotFound:
            _refuse(setting["relation"], f"No record with id {target_id}.")
        held = Decimal(str(row._mapping[key] or 0))
        after = held + moves[target_id]
        if after < 0:
            _refuse(quantity, SHORT.format(have=_plain(held), take=_plain(-moves[target_id])))
        write_record(
            scope,
            target_row.id,
            "update",
            values={key: _number(target, key, after)},
            record_id=target_id,
            row_version=row._mapping["row_version"],
            access=access,
            via=f"ledger:{change.form.key}:{change.record_id}",
        )


def check_limit(change: events.RecordChange) -> None:
    """Refuse a record asking for more than its related record holds (the form's
    ``limit``), under that record's lock, naming the record's quantity field."""
    form = change.form
    if form.published_version is None:
        return
    limit = compiled(change.scope, form.id)[1].meta.get("limit")
    if not limit or not ledger_setting.limit_applies(limit, change.before, change.record):
        return
    scope = change.scope
    target_key = compiled(scope, form.id)[1].fields[limit["relation"]]["relation"]["form"]
    target = scope.session.scalar(scope.select(Form).where(Form.key == target_key))
    if target is None or target.published_version is None:
        _refuse(limit["relation"], f"No published form '{target_key}'.")
    target_id = change.record[limit["relation"]]
    held = _locked_amounts(scope, compiled(scope, target.id)[1], limit["within"], {target_id})
    if target_id not in held:
        _refuse(limit["relation"], f"No record with id {target_id}.")
    asked = Decimal(str(change.record[limit["quantity"]]))
    if asked > held[target_id]:
        _refuse(limit["quantity"], SHORT.format(have=_plain(held[target_id]), take=_plain(asked)))


def post_imported(batch: events.RecordsImported) -> None:
    """Post moves written in bulk, in the order written; announce the batches changed."""
    found = _ledger_of(batch.scope, batch.form)
    if found is None or not (batch.created or batch.updated):
        return
    setting, target, target_row = found
    if batch.updated:
        message = "Stock moves are posted once: correct one with a new move, not a bulk update."
        raise ValidationError(message, {"_body": [message]})
    scope = batch.scope
    moves = _bulk_moves(scope, batch.form, setting, batch.created)
    held = _locked_amounts(scope, target, setting["target"], {t for t, _ in moves})
    running = dict(held)
    for index, (target_id, amount) in enumerate(moves):
        if target_id not in held:
            _refuse(f"{index}.{setting['relation']}", f"No record with id {target_id}.")
        if running[target_id] + amount < 0:
            short = SHORT.format(have=_plain(running[target_id]), take=_plain(-amount))
            _refuse(f"{index}.{setting['quantity']}", short)
        running[target_id] += amount
    changed = {t: running[t] - held[t] for t in held if running[t] != held[t]}
    _apply(scope, target, setting["target"], changed)
    write_records(scope, target_row, [], sorted(changed), f"ledger:{batch.form.key}")


def _refuse(path: str, message: str) -> None:
    raise ValidationError(f"{path}: {message}", {path: [message]})


def _bulk_moves(
    scope: Scope, form: Form, setting: dict, ids: list[int]
) -> list[tuple[int, Decimal]]:
    """(target id, signed quantity) of each posting move, in the order the ids were written."""
    move_form = compiled(scope, form.id)[1]
    table = move_form.table
    direction = setting["direction"]
    keys = [setting["relation"], setting["quantity"]]
    if isinstance(direction, dict):
        keys.append(direction["field"])
    found: dict[int, dict] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        stmt = sa.select(table.c.id, *[table.c[k] for k in keys]).where(table.c.id.in_(chunk))
        for row in scope.session.execute(stmt):
            found[row.id] = dict(row._mapping)
    out = []
    for record_id in ids:
        posted = ledger_setting.effect(setting, found.get(record_id))
        if posted is not None:
            out.append((posted.target_id, posted.quantity))
    return out


def _locked_amounts(
    scope: Scope, target: CompiledForm, key: str, ids: set[int]
) -> dict[int, Decimal]:
    """What each live target record holds, its row locked until the transaction ends."""
    table = target.table
    held: dict[int, Decimal] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        stmt = (
            sa.select(table.c.id, table.c[key])
            .where(
                table.c.id.in_(ordered[start : start + CHUNK]),
                table.c.tenant_id == scope.tenant_id,
                table.c.deleted_at.is_(None),
            )
            .order_by(table.c.id)
        )
        if scope.session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        for record_id, amount in scope.session.execute(stmt):
            held[record_id] = Decimal(str(amount or 0))
    return held


def _apply(scope: Scope, target: CompiledForm, key: str, changed: dict[int, Decimal]) -> None:
    """One conditional update per target record: it never goes below zero, whatever ran
    in between (on SQLite the writer holds the database's write lock already). Formulas
    reading the target (a stock value) are computed again in the same statement."""
    if not changed:
        return
    table = target.table
    column = table.c[key]
    delta = sa.bindparam("gs_delta", type_=column.type)
    values = {key: column + delta, **_formulas(scope, target, key, column + delta)}
    stmt = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("gs_target"), column + delta >= 0)
        .values(values)
        .values(row_version=table.c.row_version + 1, updated_at=datetime.now(UTC))
    )
    params = [
        {"gs_target": t, "gs_delta": _number(target, key, amount)} for t, amount in changed.items()
    ]
    scope.session.connection().execute(stmt, params)


def _formulas(scope: Scope, target: CompiledForm, key: str, posted) -> dict:
    """SQL of each formula of the target form that reads ``key`` (or a formula reading
    it), over the row's values after the posting: a SET reads the row as it was."""
    types = target.expression_types
    columns = {c.name: c for c in target.table.columns if c.name in types}
    columns[key] = posted
    moved, values = {key}, {}
    today, dialect = tenant_today(scope), scope.session.get_bind().dialect.name
    for name, field in target.fields.items():
        if field["type"] == "formula" and expr.fields_used(field["formula"]) & moved:
            values[name] = expr.to_sql(field["formula"], columns, today, dialect, types)
            columns[name] = values[name]
            moved.add(name)
    return values
