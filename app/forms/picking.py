"""Picking stock through a ledger: first expired, first out.

A stock form kept by a ledger (a batch's quantity on hand, kept by its stock moves) is
picked by writing moves, never by changing the batch: so the moves always add up to what
is on hand. Two things live here:

- ``check_fefo``, an in-transaction subscriber of ``app.events`` (connected in
  ``app.wiring``): a move out of a FEFO kind (``form_engine.ledger``: a sale, a transfer)
  that takes from a batch while an earlier-expiring batch of the same SKU and warehouse
  still holds some is refused, naming that batch, unless the move gives a reason;
- ``allocate``, what the flows' ``stock.allocate`` does on such a form: the matching
  batches are read in order and locked, the plan is made (``form_engine.stock.plan``) and
  one move is written per batch taken from, through the record write path, so each is
  audited, posted and announced like a move a person typed in. Two picks at once wait for
  each other's locks (PostgreSQL) or the database's one writer (SQLite): never oversold.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from app import events
from app.auth.scope import Scope
from app.errors import NotFound, ValidationError
from app.forms.access import tenant_today, whole_tenant_access
from app.forms.forms import compiled
from app.forms.records import write_record
from app.models import Form
from form_engine import ledger as ledger_setting
from form_engine import records, stock
from form_engine.access import Access
from form_engine.fields import field_type

EARLIER = (
    "{title} expires earlier ({when}) and still holds {have}: take it first, "
    "or give a reason for skipping it."
)
REASON = "Say why this move skips an earlier-expiring batch."
NOT_LEDGER = "The form '{ledger}' is not a stock ledger keeping '{field}' of '{form}'."
NOT_OUT = "These moves would not take stock out: name a kind that moves it out ({kinds})."


def check_fefo(change: events.RecordChange) -> None:
    """Refuse a move that skips an earlier-expiring record holding stock (module text)."""
    form = change.form
    if form.published_version is None:
        return
    move_form = compiled(change.scope, form.id)[1]
    setting = move_form.meta.get("ledger")
    if not setting or not ledger_setting.fefo_applies(setting, change.before, change.record):
        return
    fefo = setting["fefo"]
    scope = change.scope
    target_key = move_form.fields[setting["relation"]]["relation"]["form"]
    target_row = scope.session.scalar(scope.select(Form).where(Form.key == target_key))
    if target_row is None or target_row.published_version is None:
        return  # the ledger's own posting says the form is missing
    target = compiled(scope, target_row.id)[1]
    table, conn = target.table, scope.session.connection()
    access = whole_tenant_access(scope, scope.user)
    try:
        picked = records.load_row(conn, target, change.record[setting["relation"]], access)
    except NotFound:  # the ledger's own posting refuses a move to no record
        return
    order = table.c[fefo["order_by"]]
    mine = picked._mapping[fefo["order_by"]]
    if mine is None:
        return
    same = [table.c[k] == picked._mapping[k] for k in fefo.get("same") or []]
    order_field = target.fields[fefo["order_by"]]
    if field_type(order_field).expression_type(order_field) == "date":
        same.append(order >= tenant_today(scope))  # an expired batch is never sold first
    title = table.c[target.meta.get("title_field") or "id"]
    stmt = (
        sa.select(table.c.id, order, table.c[setting["target"]], title)
        .where(
            table.c.tenant_id == scope.tenant_id,
            table.c.deleted_at.is_(None),
            table.c.id != picked.id,
            table.c[setting["target"]] > 0,
            order < mine,
            *same,
        )
        .order_by(order, table.c.id)
        .limit(1)
    )
    earlier = conn.execute(stmt).first()
    if earlier is None:
        return
    message = EARLIER.format(title=earlier[3], when=earlier[1], have=_plain(earlier[2]))
    raise ValidationError(message, {setting["relation"]: [message], fefo["reason"]: [REASON]})


def ledger_into(
    scope: Scope, form: Form, field: str, named: str | None = None
) -> tuple[Form, dict] | None:
    """The published form whose ledger keeps ``field`` of ``form`` (its moves), if any;
    ``named``, the key of the form a flow names, must be that one."""
    query = scope.select(Form).where(Form.published_version.is_not(None)).order_by(Form.id)
    if named:
        query = query.where(Form.key == named)
    for row in scope.session.scalars(query):
        move_form = compiled(scope, row.id)[1]
        setting = move_form.meta.get("ledger")
        if not setting or setting["target"] != field:
            continue
        if move_form.fields[setting["relation"]]["relation"]["form"] == form.key:
            return row, setting
    if named:
        raise ValidationError(NOT_LEDGER.format(ledger=named, form=form.key, field=field))
    return None


@dataclass(frozen=True)
class Pick:
    """What to take: ``quantity`` from ``field`` of the records matching ``where`` (an
    expression), in ``order_by`` order, within ``access``."""

    field: str
    quantity: Any
    where: Any
    order_by: str | None
    access: Access


def allocate(
    scope: Scope,
    form: Form,
    pick: Pick,
    moves: tuple[Form, dict],
    move_values: dict,
    via: str | None = None,
) -> stock.Allocation:
    """Take what ``pick`` says from the records of ``form`` by writing one move of the
    ledger form ``moves`` per record taken from, with ``move_values`` besides its record
    and quantity (module text)."""
    move_row, setting = moves
    target = compiled(scope, form.id)[1]
    needed = stock.needed_quantity(pick.quantity)
    conn = scope.session.connection()
    held = stock.available(conn, target, pick.access, pick.field, pick.where, pick.order_by)
    taken = stock.plan(held, needed)
    integer = compiled(scope, move_row.id)[1].fields[setting["quantity"]]["type"] == "integer"
    for record_id, take in taken:
        values = {
            **move_values,
            setting["relation"]: record_id,
            setting["quantity"]: int(take) if integer else take,
        }
        if ledger_setting.sign(setting, values) != -1:
            direction = setting["direction"]
            outs = direction.get("out") or [] if isinstance(direction, dict) else []
            raise ValidationError(NOT_OUT.format(kinds=", ".join(map(str, outs))))
        write_record(scope, move_row.id, "create", values=values, access=pick.access, via=via)
    return stock.Allocation(taken, needed, {i: stock.plain(q) for i, q in held})


def _plain(amount: Any) -> str:
    return f"{Decimal(str(amount)).normalize():f}"
