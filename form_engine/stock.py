"""Locked stock decrement: take a quantity from the rows of a stock form, in order, never
below zero.

The rows that match the condition and still hold some stock are read in the given order
(by expiry ascending that is FEFO, first expired first out) and locked (``FOR UPDATE`` on
PostgreSQL; SQLite lets one writer at a time in, and each update re-checks what is left).
Either the whole quantity is found and taken, or nothing changes and ``NotEnoughStock``
says how much there was. The caller owns the transaction, and the audit entries and
events of the rows it changed (``app.forms.records.allocate_stock`` writes them); this
module only reads and updates the form's table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine_errors import Conflict, ValidationError
from form_engine.access import Access
from form_engine.compiled import CompiledForm
from form_engine.records import query_clause

MAX_ROWS = 10_000


class NotEnoughStock(ValidationError):
    code = "not_enough_stock"


@dataclass(frozen=True)
class Allocation:
    """What was taken: (record id, quantity) per row, in the order taken, and what each
    row held before."""

    rows: list[tuple[int, Decimal]]
    total: Decimal
    held: dict[int, int | float] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "rows": [{"record_id": r, "quantity": plain(q)} for r, q in self.rows],
            "total": plain(self.total),
        }


def plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def plan(available: list[tuple[int, Decimal]], quantity: Decimal) -> list[tuple[int, Decimal]]:
    """Take ``quantity`` from the rows in order; NotEnoughStock when they hold less."""
    if quantity <= 0:
        raise ValidationError("The quantity to allocate must be positive.")
    taken, left = [], quantity
    for record_id, stock in available:
        if left <= 0:
            break
        take = min(stock, left)
        if take > 0:
            taken.append((record_id, take))
            left -= take
    if left > 0:
        have = sum((s for _, s in available if s > 0), Decimal(0))
        raise NotEnoughStock(
            f"Not enough stock: {plain(quantity)} needed, {plain(have)} available.",
            details={"needed": plain(quantity), "available": plain(have)},
        )
    return taken


def needed_quantity(quantity: Any) -> Decimal:
    """The quantity asked for, as a finite number (ValidationError otherwise)."""
    try:
        needed = Decimal(str(quantity))
    except (ArithmeticError, ValueError):
        raise ValidationError(f"The quantity to allocate is not a number: {quantity!r}.") from None
    if not needed.is_finite():
        raise ValidationError(f"The quantity to allocate is not a number: {quantity!r}.")
    return needed


def available(
    conn: Connection,
    form: CompiledForm,
    access: Access,
    field_key: str,
    where: Any = None,
    order_by: str | None = None,
) -> list[tuple[int, Decimal]]:
    """(record id, what it holds) of the matching rows that hold some, in order, locked
    until the transaction ends (on PostgreSQL; SQLite has one writer at a time)."""
    table = form.table
    column = table.c[field_key]
    clause = sa.and_(query_clause(form, access, where, False), column > 0)
    order = []
    if order_by:
        key = table.c[order_by.lstrip("-")]
        order.append(key.desc() if order_by.startswith("-") else key.asc())
    stmt = sa.select(table.c.id, column).where(clause).order_by(*order, table.c.id).limit(MAX_ROWS)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=table)
    return [(row.id, Decimal(str(row[1]))) for row in conn.execute(stmt)]


def allocate(
    conn: Connection,
    form: CompiledForm,
    access: Access,
    field_key: str,
    quantity: Any,
    where: Any = None,
    order_by: str | None = None,
) -> Allocation:
    """Take ``quantity`` from the field ``field_key`` of the matching rows (module text)."""
    table = form.table
    column = table.c[field_key]
    needed = needed_quantity(quantity)
    held = available(conn, form, access, field_key, where, order_by)
    taken = plan(held, needed)
    now = datetime.now(UTC)
    for record_id, take in taken:
        amount = int(take) if form.fields[field_key]["type"] == "integer" else take
        updated = conn.execute(
            sa.update(table)
            .where(table.c.id == record_id, column >= amount)
            .values({field_key: column - amount, "row_version": table.c.row_version + 1})
            .values(updated_at=now)
        ).rowcount
        if updated != 1:  # someone took it between our read and this write
            raise Conflict("The stock changed while it was being allocated; try again.")
    return Allocation(taken, needed, {record_id: plain(q) for record_id, q in held})
