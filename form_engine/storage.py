"""Each published form is a real SQL table; sub-tables are child tables.

Publishing only ever adds: a new field adds a column, a removed field keeps its column
(and data) and is marked ``removed`` in the metadata, a renamed label changes nothing in
the database. A change of a field's storage (say text -> integer) is refused before
anything is touched. This module builds SQLAlchemy tables from metadata and applies the
additive DDL; it never drops or alters a column.
"""

from __future__ import annotations

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    Table,
    inspect,
)
from sqlalchemy.engine import Connection

from engine_errors import ValidationError
from form_engine.fields import field_type

MAX_NAME = 63
#: the most columns a PostgreSQL index has, included ones too
MAX_INDEX_COLUMNS = 32
REFERENCES = {"user", "department", "relation"}


def row_columns() -> list[Column]:
    """The columns every record row carries, whatever the form."""
    return [
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("tenant_id", BigInteger, nullable=False),
        Column("created_by", BigInteger),
        Column("owner_department_id", BigInteger),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("row_version", Integer, nullable=False, default=1),
        Column("form_version", Integer, nullable=False),
        Column("flow_instance_id", BigInteger),
        Column("deleted_at", DateTime(timezone=True)),
    ]


def child_columns() -> list[Column]:
    return [
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("tenant_id", BigInteger, nullable=False),
        Column("parent_id", BigInteger, nullable=False, index=True),
        Column("position", Integer, nullable=False),
    ]


def child_table_name(table_name: str, field_key: str) -> str:
    return f"{table_name}__{field_key}"


def _field_columns(fields: list[dict]) -> list[Column]:
    columns = []
    for f in fields:
        column = field_type(f).column(f)
        if column is not None:
            column.index = False
            columns.append(column)
    return columns


def _index_fields(table: Table, fields: list[dict], allow_unique: bool) -> None:
    """Index what is joined on; unique fields get a unique index per tenant.

    Fields marked indexed get a list index on a form's own table (``_list_indexes``) and a
    plain one on a sub-table's.
    """
    for f in fields:
        if f["key"] not in table.c:
            continue
        unique = allow_unique and (f.get("unique") or f["type"] == "autonumber")
        wanted = (f.get("indexed") and not allow_unique) or f["type"] in REFERENCES
        if unique or wanted or f.get("unique"):
            prefix = "ux" if unique else "ix"
            name = f"{prefix}_{table.name}_{f['key']}"[:MAX_NAME]
            Index(name, table.c.tenant_id, table.c[f["key"]], unique=bool(unique))


def _list_indexes(table: Table, fields: list[dict]) -> None:
    """One index per field marked indexed, shaped for the record list.

    Keyed (tenant, field, id) over live rows only, so a list filtered on a range of the
    field or sorted by it (ties by id, as ``records.sort_clauses`` orders) reads the index
    in order and stops at the page. On PostgreSQL it also carries the scope columns, the
    other indexed fields and the number fields (up to PostgreSQL's 32 columns an index), so
    counting the rows of a filter on those, or a chart summing numbers over it (amount by
    kind and month), is an index-only scan.
    """
    live = [f for f in fields if not f.get("removed") and f["key"] in table.c]
    indexed = [
        table.c[f["key"]]
        for f in live
        if f.get("indexed") and not isinstance(table.c[f["key"]].type, JSON)
    ]
    numbers = [
        table.c[f["key"]]
        for f in live
        if f["type"] not in REFERENCES
        and not f.get("indexed")
        and field_type(f).expression_type(f) in ("integer", "decimal")
    ]
    scope = [table.c.owner_department_id, table.c.created_by]
    for column in indexed:
        carried = [c.name for c in (*scope, *indexed, *numbers) if c is not column]
        carried = carried[: MAX_INDEX_COLUMNS - 3]  # after tenant, field and id
        Index(
            f"il_{table.name}_{column.name}"[:MAX_NAME],
            table.c.tenant_id,
            column,
            table.c.id,
            postgresql_where=table.c.deleted_at.is_(None),
            sqlite_where=table.c.deleted_at.is_(None),
            postgresql_include=carried,
        )


def build_tables(meta: dict, table_name: str) -> tuple[Table, dict[str, Table]]:
    """The form's table and its child tables (by sub-table field key), on fresh MetaData."""
    md = MetaData()
    table = Table(table_name, md, *row_columns(), *_field_columns(meta["fields"]))
    table.info["shared"] = bool(meta.get("shared"))  # read by everyone: see ``access``
    _index_fields(table, meta["fields"], allow_unique=True)
    _list_indexes(table, meta["fields"])
    Index(f"ix_{table_name}_live"[:MAX_NAME], table.c.tenant_id, table.c.deleted_at, table.c.id)
    # The "department" and "own" data scopes filter on these on every list and count.
    for scope_column in ("owner_department_id", "created_by"):
        column = table.c[scope_column]
        name = f"ix_{table_name}_{'dept' if scope_column.startswith('owner') else 'creator'}"
        Index(name[:MAX_NAME], table.c.tenant_id, column, table.c.deleted_at)
    children = {}
    for f in meta["fields"]:
        if f["type"] != "subtable":
            continue
        name = child_table_name(table_name, f["key"])
        child = Table(name, md, *child_columns(), *_field_columns(f["fields"]))
        _index_fields(child, f["fields"], allow_unique=False)
        children[f["key"]] = child
    return table, children


def check_compatible(old_meta: dict | None, new_meta: dict) -> dict:
    """Merge a new definition onto the published one; refuse storage changes.

    Returns the metadata to publish: the new fields, plus every earlier field the new
    definition left out, kept with ``removed: true`` so its column and data survive.
    """
    if not old_meta:
        return new_meta
    problems: dict[str, list[str]] = {}
    new_by_key = {f["key"]: (i, f) for i, f in enumerate(new_meta["fields"])}
    for old in old_meta["fields"]:
        if old["key"] not in new_by_key:
            continue
        index, new = new_by_key[old["key"]]
        before, after = field_type(old).storage_kind(old), field_type(new).storage_kind(new)
        if before != after:
            problems.setdefault(f"fields.{index}.type", []).append(
                f"'{old['key']}' was {old['type']} and cannot become {new['type']}: its column "
                f"holds {old['type']} values. Add a new field with the new type, copy the values "
                "over (export and import), then remove the old field."
            )
        if old["type"] == "subtable":
            merged = check_compatible({"fields": old["fields"]}, {"fields": new["fields"]})
            new["fields"] = merged["fields"]
    if problems:
        raise ValidationError("This change would lose or corrupt data.", problems)
    kept = [dict(old, removed=True) for old in old_meta["fields"] if old["key"] not in new_by_key]
    return {**new_meta, "fields": new_meta["fields"] + kept}


def apply_tables(connection: Connection, meta: dict, table_name: str) -> list[str]:
    """Create the tables or add what is missing; returns a list of the changes made."""
    table, children = build_tables(meta, table_name)
    changes: list[str] = []
    for each in (table, *children.values()):
        changes += _apply_one(connection, each)
    return changes


def _apply_one(connection: Connection, table: Table) -> list[str]:
    inspector = inspect(connection)
    if not inspector.has_table(table.name):
        table.create(connection)
        return [f"created table {table.name}"]
    changes = []
    existing = {c["name"] for c in inspector.get_columns(table.name)}
    operations = Operations(MigrationContext.configure(connection))
    for column in table.columns:
        if column.name not in existing:
            operations.add_column(table.name, Column(column.name, column.type))
            changes.append(f"added column {table.name}.{column.name}")
    have = {i["name"] for i in inspector.get_indexes(table.name)}
    for index in table.indexes:
        if index.name not in have:
            index.create(connection)
            changes.append(f"added index {index.name}")
    return changes
