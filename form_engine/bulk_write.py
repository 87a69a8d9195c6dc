"""Many prepared records written at once, as ``records.insert_prepared`` writes one.

Each record gets its auto-numbers (drawn as one block per field), the same meta columns,
and the same unique check: a value already stored in the tenant, or taken by an earlier
record of the same call, is refused with the Conflict ``insert_prepared`` raises. The
accepted rows go in with one COPY on PostgreSQL (ids drawn from the table's sequence
first) or one multi-row INSERT elsewhere, inside a savepoint: should a concurrent writer
take a unique value in the meantime, the batch is rolled back to the savepoint and
written row by row, so each row gets its own answer. The caller commits.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from engine_errors import Conflict, ValidationError
from form_engine.access import Access
from form_engine.bulk import BulkPreparer
from form_engine.compiled import CompiledForm
from form_engine.fields.autonumber import TOKEN, period_of, render
from form_engine.ownership import check_in_scope
from form_engine.records import insert_row, meta_values
from form_engine.sequences import next_value
from form_engine.values import Directory, Prepared

IN_CHUNK = 5000


def insert_many(
    conn: Connection,
    form: CompiledForm,
    prepared: list[Prepared],
    access: Access,
    *,
    all_or_none: bool = False,
) -> list[int | Conflict]:
    """The new id of each record, or the Conflict that kept it out (in input order).

    With ``all_or_none`` the first Conflict is raised before anything is written.
    """
    if not prepared:
        return []
    meta = meta_values(form, access, datetime.now(UTC))
    numbers = _autonumbers(conn, form, access, len(prepared))
    rows = [
        {**p.values, **{k: drawn[i] for k, drawn in numbers.items()}, **meta}
        for i, p in enumerate(prepared)
    ]
    owners = [p.department for p in prepared]
    if any(d is not None for d in owners):
        check_in_scope(form.meta, access, owners)
        for row, department in zip(rows, owners, strict=True):
            if department is not None:
                row["owner_department_id"] = department
    children = [p.children for p in prepared]
    if any(isinstance(form.table.c[k].type, sa.JSON) for k in _unique_keys(form)):
        # JSON values cannot be compared in a set: keep the one-by-one path for them
        return _one_by_one(conn, form, rows, children, access, all_or_none)
    if conn.dialect.name == "postgresql":
        _ensure_statistics(conn, form.table)
    outcomes: list[int | Conflict | None] = list(_clashes(conn, form, rows, access))
    if all_or_none:
        first = next((c for c in outcomes if c is not None), None)
        if first is not None:
            raise first
    accepted = [i for i, c in enumerate(outcomes) if c is None]
    try:
        with conn.begin_nested():
            ids = _insert(conn, form, [rows[i] for i in accepted])
            _insert_children(conn, form, ids, [children[i] for i in accepted], access)
    except (IntegrityError, conn.dialect.dbapi.IntegrityError):
        written = _one_by_one(
            conn,
            form,
            [rows[i] for i in accepted],
            [children[i] for i in accepted],
            access,
            all_or_none,
        )
        for i, outcome in zip(accepted, written, strict=True):
            outcomes[i] = outcome
        return outcomes  # type: ignore[return-value]
    for i, record_id in zip(accepted, ids, strict=True):
        outcomes[i] = record_id
    return outcomes  # type: ignore[return-value]


def _one_by_one(conn, form, rows, children, access, all_or_none) -> list[int | Conflict]:
    outcomes: list[int | Conflict] = []
    for row, lines in zip(rows, children, strict=True):
        try:
            outcomes.append(insert_row(conn, form, row, lines, access))
        except Conflict as exc:
            if all_or_none:
                raise
            outcomes.append(exc)
    return outcomes


def _autonumbers(conn: Connection, form: CompiledForm, access: Access, count: int) -> dict:
    """For each auto-number field, ``count`` consecutive numbers rendered by its pattern."""
    numbers = {}
    for key, field in form.fields.items():
        if field["type"] == "autonumber":
            pattern = field["pattern"]
            period = period_of(pattern, access.today)
            last = next_value(conn, access.tenant_id, form.table.name, key, period, count)
            numbers[key] = _render_block(pattern, access.today, last - count + 1, last)
    return numbers


def _render_block(pattern: str, today, first: int, last: int) -> list[str]:
    # The date parts are the same for the whole block: render them once.
    def date_part(match) -> str:
        token = match.group(0)
        return token if match.group(1).startswith("seq") else render(token, today, 0)

    dated = TOKEN.sub(date_part, pattern)
    parts = TOKEN.split(dated)
    if len(parts) == 4:  # one {seq:N}: text before, "seq", N, text after
        before, _, width, after = parts
        width = int(width or 1)
        return [f"{before}{str(n).zfill(width)}{after}" for n in range(first, last + 1)]
    return [render(dated, today, n) for n in range(first, last + 1)]


def _unique_keys(form: CompiledForm) -> list[str]:
    return [k for k, f in form.fields.items() if f.get("unique") and k in form.table.c]


def _clashes(conn: Connection, form: CompiledForm, rows: list[dict], access: Access):
    """None for each row free to go in, else the Conflict ``records`` would raise for it."""
    table = form.table
    keys = _unique_keys(form)
    same = {k: _comparable(table.c[k], conn.dialect) for k in keys}
    taken: dict[str, set] = {}
    for key in keys:
        wanted = list({r[key] for r in rows if r.get(key) is not None})
        found = _stored(conn, table, table.c[key], wanted, access.tenant_id)
        taken[key] = {same[key](v) for v in found} if same[key] else set(found)
    checks = [(k, same[k], taken[k]) for k in keys]
    for row in rows:
        seen = []
        for key, comparable, used in checks:
            value = row.get(key)
            if value is None:
                continue
            value = comparable(value) if comparable else value
            if value in used:
                yield Conflict(
                    f"Another record already has this {key}.",
                    {key: [f"'{row[key]}' is already used."]},
                )
                break
            seen.append((used, value))
        else:
            for used, value in seen:
                used.add(value)
            yield None


def _ensure_statistics(conn: Connection, table: sa.Table) -> None:
    """Give a table without statistics some before probing it for unique values.

    A form's table is new when its first big import starts; until autovacuum gets to it,
    the planner cannot tell its unique index from any other index on the tenant and may
    scan the whole tenant for each probe. ANALYZE of a small table takes milliseconds.
    """
    name = conn.dialect.identifier_preparer.quote(table.name)
    rows = conn.execute(
        text("SELECT reltuples FROM pg_class WHERE oid = CAST(:t AS regclass)"), {"t": name}
    ).scalar()
    if rows is not None and rows < 1:
        conn.execute(text(f"ANALYZE {name}"))


def _stored(conn: Connection, table: sa.Table, column: sa.Column, wanted: list, tenant: int):
    """Which of ``wanted`` the tenant's rows already hold in ``column`` (deleted rows too).

    On PostgreSQL each value is probed on its own (a LATERAL lookup through the unique
    index), so the cost follows the batch, not the table.
    """
    found = []
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        if conn.dialect.name == "postgresql":
            quote = conn.dialect.identifier_preparer.quote
            kind = column.type.compile(dialect=conn.dialect)
            stmt = text(
                f"SELECT v.k FROM unnest(CAST(:keys AS {kind}[])) AS v(k) CROSS JOIN LATERAL "
                f"(SELECT 1 FROM {quote(table.name)} AS t WHERE t.tenant_id = :tenant "
                f"AND t.{quote(column.name)} = v.k LIMIT 1) AS hit"
            )
            found += conn.execute(stmt, {"keys": chunk, "tenant": tenant}).scalars()
        else:
            stmt = select(column).where(table.c.tenant_id == tenant, column.in_(chunk))
            found += conn.execute(stmt).scalars()
    return found


def _comparable(column: sa.Column, dialect):
    """What turns a value into the one the database compares (SQLite stores decimals as
    floats, for one); None where the value is compared as it is."""
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _insert(conn: Connection, form: CompiledForm, rows: list[dict]) -> list[int]:
    if not rows:
        return []
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        return _copy(conn, form.table, rows)
    table = form.table
    absent = {c.name: (sa.null() if isinstance(c.type, sa.JSON) else None) for c in table.c}
    del absent["id"]
    params = [{**absent, **row} for row in rows]
    stmt = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(conn.execute(stmt, params).scalars())


def _copy(conn: Connection, table: sa.Table, rows: list[dict]) -> list[int]:
    """COPY the rows in with ids drawn from the table's own sequence, in row order."""
    quote = conn.dialect.identifier_preparer.quote
    sequence = conn.execute(
        text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": quote(table.name)}
    ).scalar_one()
    drawn = text("SELECT array_agg(nextval(:s)) FROM generate_series(1, :n)")
    ids = sorted(conn.execute(drawn, {"s": sequence, "n": len(rows)}).scalar_one())
    columns = [c for c in table.columns if c.name != "id"]
    names = [c.name for c in columns]
    converted = []
    for index, column in enumerate(columns):
        process = column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        if process is not None or isinstance(column.type, sa.JSON):
            converted.append((index + 1, column.name, process or (lambda v: v)))
    header = ", ".join(quote(n) for n in ["id", *names])
    with conn.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {quote(table.name)} ({header}) FROM STDIN") as copy:
            for record_id, row in zip(ids, rows, strict=True):
                values = [record_id, *map(row.get, names)]
                # A key left out is SQL NULL, as in a one-row INSERT; a JSON None is 'null'.
                for index, name, process in converted:
                    values[index] = process(values[index]) if name in row else None
                copy.write_row(values)
    return ids


def _insert_children(
    conn: Connection, form: CompiledForm, ids: list[int], children: list[dict], access: Access
) -> None:
    for key, table in form.children.items():
        lines = [
            {**line, "tenant_id": access.tenant_id, "parent_id": record_id, "position": i}
            for record_id, rows in zip(ids, children, strict=True)
            for i, line in enumerate(rows.get(key) or [])
        ]
        if lines:
            conn.execute(sa.insert(table), lines)


def bulk_create(
    conn: Connection, form: CompiledForm, rows: list, access: Access, directory: Directory
) -> list[int]:
    """All rows or none: problems are reported as '<row index>.<field>'.

    A duplicate of a unique value (with a stored record or an earlier row) is a Conflict
    naming the field, and nothing is written.
    """
    if not isinstance(rows, list) or not rows:
        raise ValidationError("Send a non-empty list of records.", {"_body": ["Empty."]})
    prepared, errors = [], {}
    for index, outcome in enumerate(BulkPreparer(form, directory, access.today).prepare(rows)):
        if isinstance(outcome, dict):
            for path, msgs in outcome.items():
                errors[f"{index}.{path}"] = msgs
        else:
            prepared.append(outcome)
    if errors:
        raise ValidationError(
            f"{len({k.split('.')[0] for k in errors})} rows are not valid.", errors
        )
    outcomes = insert_many(conn, form, prepared, access, all_or_none=True)
    return [int(i) for i in outcomes]
