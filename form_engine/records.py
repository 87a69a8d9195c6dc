"""Create, read, update, delete, restore and query records of a published form.

Every statement is limited by ``access.visible_rows``; updates and deletes check the
``row_version`` the caller read, so of two people saving the same version one wins and
the other gets a Conflict carrying the current row. No Flask, no session globals: the
caller passes the connection and commits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement

from engine_errors import Conflict, NotFound, ValidationError
from form_engine.access import Access, visible_rows
from form_engine.compiled import CompiledForm
from form_engine.fields.autonumber import period_of, render
from form_engine.list_columns import form_columns, plain
from form_engine.ownership import check_in_scope
from form_engine.query_hints import index_friendly
from form_engine.sequences import next_value
from form_engine.values import Directory, dump_value, prepare

META_COLUMNS = (
    "id",
    "created_by",
    "owner_department_id",
    "created_at",
    "updated_at",
    "row_version",
    "form_version",
    "flow_instance_id",
    "deleted_at",
)


def _now() -> datetime:
    return datetime.now(UTC)


def dump_row(form: CompiledForm, row: Any, fields: list[str] | None = None) -> dict:
    """A stored row -> the JSON-ready record the API returns."""
    mapping = row._mapping
    record = {"id": mapping["id"]}
    for key, field in form.fields.items():
        if field["type"] == "subtable" or (fields and key not in fields):
            continue
        record[key] = dump_value(field, mapping.get(key))
    for column in META_COLUMNS[1:]:
        value = mapping.get(column)
        if isinstance(value, datetime):
            value = (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
        record[f"_{column}"] = value
    return record


def _children(conn: Connection, form: CompiledForm, record_ids: list[int]) -> dict:
    out: dict[int, dict[str, list]] = {i: {} for i in record_ids}
    for key, table in form.children.items():
        field = form.fields.get(key)
        if field is None:
            continue
        child_fields = {f["key"]: f for f in field["fields"] if not f.get("removed")}
        rows = conn.execute(
            select(table)
            .where(table.c.parent_id.in_(record_ids))
            .order_by(table.c.parent_id, table.c.position)
        )
        for key_ids in out.values():
            key_ids.setdefault(key, [])
        for row in rows:
            m = row._mapping
            line = {"id": m["id"], **{k: dump_value(f, m[k]) for k, f in child_fields.items()}}
            out[m["parent_id"]][key].append(line)
    return out


def _write_children(
    conn: Connection,
    form: CompiledForm,
    record_id: int,
    tenant_id: int,
    children: dict[str, list[dict]],
) -> None:
    for key, rows in children.items():
        table = form.children[key]
        conn.execute(sa.delete(table).where(table.c.parent_id == record_id))
        if rows:
            conn.execute(
                sa.insert(table),
                [
                    {**row, "tenant_id": tenant_id, "parent_id": record_id, "position": i}
                    for i, row in enumerate(rows)
                ],
            )


def _autonumbers(conn: Connection, form: CompiledForm, access: Access) -> dict:
    values = {}
    for key, field in form.fields.items():
        if field["type"] == "autonumber":
            pattern = field["pattern"]
            period = period_of(pattern, access.today)
            seq = next_value(conn, access.tenant_id, form.table.name, key, period)
            values[key] = render(pattern, access.today, seq)
    return values


def load_row(
    conn: Connection,
    form: CompiledForm,
    record_id: int,
    access: Access,
    include_deleted: bool = False,
    lock: bool = False,
    writing: bool | None = None,
):
    """The row, locked for the caller's write (``lock``); ``writing`` (as ``lock`` unless
    said) asks for a row the caller may change, not only read."""
    table = form.table
    writing = lock if writing is None else writing
    stmt = select(table).where(
        table.c.id == record_id, visible_rows(access, table, include_deleted, writing)
    )
    if lock and conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).first() if 0 < record_id < 2**63 else None
    if row is None:
        raise NotFound(f"No record with id {record_id}.")
    return row


def get(
    conn: Connection,
    form: CompiledForm,
    record_id: int,
    access: Access,
    include_deleted: bool = False,
) -> dict:
    row = load_row(conn, form, record_id, access, include_deleted)
    record = dump_row(form, row)
    record.update(_children(conn, form, [record_id])[record_id])
    return record


def create(
    conn: Connection, form: CompiledForm, data: Any, access: Access, directory: Directory
) -> dict:
    prepared = prepare(form, data, directory, access.today)
    return get(conn, form, insert_prepared(conn, form, prepared, access), access)


def _check_unique(
    conn: Connection, form: CompiledForm, values: dict, access: Access, record_id: int | None = None
) -> None:
    """A duplicate in a unique field is the user's to fix: say which field, with a 409."""
    table = form.table
    for key, field in form.fields.items():
        if not field.get("unique") or values.get(key) is None:
            continue
        stmt = select(table.c.id).where(
            table.c.tenant_id == access.tenant_id, table.c[key] == values[key]
        )
        if record_id is not None:
            stmt = stmt.where(table.c.id != record_id)
        if conn.execute(stmt.limit(1)).first() is not None:
            raise Conflict(
                f"Another record already has this {key}.",
                {key: [f"'{values[key]}' is already used."]},
            )


def _guarded(conn: Connection, statement, read):
    """Run a write in a savepoint; a unique clash from a concurrent writer becomes a 409.

    ``read`` takes what is needed from the result before the savepoint is released.
    """
    try:
        with conn.begin_nested():
            return read(conn.execute(statement))
    except IntegrityError:
        raise Conflict(
            "Another record was saved with the same unique value just now; "
            "check the unique fields and save again."
        ) from None


def meta_values(form: CompiledForm, access: Access, now: datetime) -> dict:
    """The row columns a new record gets besides its field values."""
    return {
        "tenant_id": access.tenant_id,
        "created_by": access.user_id,
        "owner_department_id": access.department_id,
        "created_at": now,
        "updated_at": now,
        "row_version": 1,
        "form_version": form.version,
    }


def insert_prepared(conn: Connection, form: CompiledForm, prepared, access: Access) -> int:
    row = {
        **prepared.values,
        **_autonumbers(conn, form, access),
        **meta_values(form, access, _now()),
    }
    if prepared.department is not None:
        check_in_scope(form.meta, access, [prepared.department])
        row["owner_department_id"] = prepared.department
    return insert_row(conn, form, row, prepared.children, access)


def insert_row(
    conn: Connection, form: CompiledForm, row: dict, children: dict, access: Access
) -> int:
    """Insert one complete row (values, auto-numbers, meta) and its sub-table lines."""
    _check_unique(conn, form, row, access)
    statement = sa.insert(form.table).values(row).returning(form.table.c.id)
    record_id = _guarded(conn, statement, lambda result: result.scalar_one())
    _write_children(conn, form, record_id, access.tenant_id, children)
    return record_id


def stored_values(form: CompiledForm, row) -> dict:
    mapping = row._mapping
    return {k: mapping[k] for k, f in form.fields.items() if f["type"] != "subtable"}


def update(
    conn: Connection,
    form: CompiledForm,
    record_id: int,
    data: Any,
    row_version: Any,
    access: Access,
    directory: Directory,
) -> tuple[dict, dict]:
    """Apply a patch read at ``row_version``; returns (before, after) records."""
    if isinstance(row_version, bool) or not isinstance(row_version, int):
        raise ValidationError(
            "Send the row_version you read.", {"row_version": ["Required, an integer."]}
        )
    row = load_row(conn, form, record_id, access, lock=True)
    before = get(conn, form, record_id, access)
    if row._mapping["row_version"] != row_version:
        raise Conflict(
            "Somebody changed this record after you read it.", details={"current": before}
        )
    prepared = prepare(form, data, directory, access.today, existing=stored_values(form, row))
    _check_unique(conn, form, prepared.values, access, record_id)
    owner = {}
    if prepared.department is not None:
        check_in_scope(form.meta, access, [prepared.department])
        owner["owner_department_id"] = prepared.department
    table = form.table
    updated = _guarded(
        conn,
        sa.update(table)
        .where(
            table.c.id == record_id,
            table.c.row_version == row_version,
            visible_rows(access, table, writing=True),
        )
        .values(
            **prepared.values,
            **owner,
            row_version=row_version + 1,
            updated_at=_now(),
            form_version=form.version,
        ),
        lambda result: result.rowcount,
    )
    if updated != 1:
        raise Conflict(
            "Somebody changed this record after you read it.",
            details={"current": get(conn, form, record_id, access)},
        )
    _write_children(conn, form, record_id, access.tenant_id, prepared.children)
    return before, get(conn, form, record_id, access)


def set_deleted(
    conn: Connection, form: CompiledForm, record_id: int, access: Access, deleted: bool
) -> dict:
    """Soft delete (deleted=True) or restore; the row and its lines stay in the table."""
    load_row(conn, form, record_id, access, include_deleted=True, writing=True)
    table = form.table
    conn.execute(
        sa.update(table)
        .where(
            table.c.id == record_id,
            visible_rows(access, table, include_deleted=True, writing=True),
        )
        .values(
            deleted_at=_now() if deleted else None,
            row_version=table.c.row_version + 1,
            updated_at=_now(),
        )
    )
    return get(conn, form, record_id, access, include_deleted=True)


SORTABLE_META = ("id", "created_at", "updated_at")


def sort_clauses(form: CompiledForm, sort: list[str], access: Access | None = None):
    """ORDER BY of a list: fields, row times, and (given ``access``) computed columns."""
    extra = form_columns(form, access) if access is not None else {}
    clauses = []
    for item in sort:
        key = item.lstrip("-")
        known = key in SORTABLE_META or (key in form.fields and key in form.table.c)
        if not known and key not in extra:
            raise ValidationError(f"Cannot sort by '{key}'.", {"sort": [f"Unknown field '{key}'."]})
        column = extra[key][0] if key in extra else form.table.c[key]
        clauses.append(column.desc() if item.startswith("-") else column.asc())
    clauses.append(
        form.table.c.id.desc() if sort and sort[-1].startswith("-") else form.table.c.id.asc()
    )
    return clauses


def query_clause(form: CompiledForm, access: Access, condition: Any, include_deleted: bool):
    """The WHERE clause of a list: scope, then the user's filter in the expression language."""
    clause = visible_rows(access, form.table, include_deleted)
    if condition:
        from form_engine import expr

        columns = {c.name: c for c in form.table.columns if c.name in form.expression_types}
        types = dict(form.expression_types)
        if expr.fields_used(condition) - types.keys():  # computed list columns
            for key, (column, kind) in form_columns(form, access).items():
                columns[key], types[key] = column, kind
        if expr.check(condition, types) != "boolean":
            condition = {"!!": [condition]}  # a list (e.g. from missing) counts when not empty
        compiled = expr.to_sql(condition, columns, access.today, access.dialect)
        clause = and_(clause, index_friendly(compiled))
    return clause


#: a list's total is counted exactly up to this many rows; above, it is the planner's estimate
EXACT_TOTAL = 1000


def query(
    conn: Connection,
    form: CompiledForm,
    access: Access,
    *,
    condition: Any = None,
    sort: list[str] | None = None,
    page: int = 1,
    page_size: int = 20,
    fields: list[str] | None = None,
    include_deleted: bool = False,
) -> dict:
    """One page of the records the caller may see, with how many there are in all.

    ``total`` is exact (``total_exact`` true) when the page shows where the rows end, and
    when the filter selects at most ``EXACT_TOTAL`` rows (counted with a LIMIT). Counting a
    large filtered set on every page would cost far more than the page, so on PostgreSQL a
    filter the planner expects to select more than twice that many rows is not counted:
    ``total`` is the planner's estimate (never less than the rows known to exist) and
    ``total_exact`` is false; show it as "about N". SQLite always counts.
    """
    extra = form_columns(form, access)
    unknown = [f for f in fields or [] if f not in form.fields and f not in extra]
    if unknown:
        raise ValidationError("Unknown field.", {"fields": [f"No field '{unknown[0]}'."]})
    where = query_clause(form, access, condition, include_deleted)
    table = form.table
    offset = (page - 1) * page_size
    rows = conn.execute(
        select(table, *[column.label(f"_c_{key}") for key, (column, _) in extra.items()])
        .where(where)
        .order_by(*sort_clauses(form, sort or [], access))
        .offset(offset)
        .limit(page_size)
    ).all()
    total, exact = _total(conn, table, where, offset, len(rows), page_size)
    items = [dump_row(form, row, fields) for row in rows]
    for item, row in zip(items, rows, strict=True):
        item.update({key: plain(row._mapping[f"_c_{key}"]) for key in extra})
    wanted = [k for k in form.children if not fields or k in fields]
    if wanted and items:
        lines = _children(conn, form, [r["id"] for r in items])
        for item in items:
            item.update({k: v for k, v in lines[item["id"]].items() if k in wanted})
    return {
        "items": items,
        "total": total,
        "total_exact": exact,
        "page": page,
        "page_size": page_size,
    }


def _total(conn: Connection, table, where, offset: int, shown: int, page_size: int):
    """(total, exact) of the rows ``where`` selects, given what the page query returned."""
    if 0 < shown < page_size or (shown == 0 and offset == 0):
        return offset + shown, True  # the page shows the last row
    matching = select(table.c.id).where(where)
    if conn.dialect.name != "postgresql":
        return conn.execute(
            select(func.count()).select_from(matching.subquery())
        ).scalar_one(), True
    known = offset + shown
    estimate = conn.execute(_Explain(matching)).scalar_one()[0]["Plan"]["Plan Rows"]
    if estimate > 2 * EXACT_TOTAL:  # clearly more than we count: do not read them all
        return max(int(estimate), known, EXACT_TOTAL + 1), False
    capped = matching.limit(EXACT_TOTAL + 1).subquery()
    counted = conn.execute(select(func.count()).select_from(capped)).scalar_one()
    if counted <= EXACT_TOTAL:
        return counted, True
    return max(int(estimate), known, counted), False


class _Explain(Executable, ClauseElement):
    """``EXPLAIN (FORMAT JSON)`` of a statement: one row holding the planner's plan."""

    inherit_cache = False  # compiled each time: a plan row has no columns to cache

    def __init__(self, statement) -> None:
        self.statement = statement


@compiles(_Explain, "postgresql")
def _compile_explain(element: _Explain, compiler, **kw) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)
