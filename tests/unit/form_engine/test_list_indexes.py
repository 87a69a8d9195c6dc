"""Fields marked indexed get an index shaped for the record list: live rows, field, id."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex

from form_engine.storage import build_tables

FIELDS = [
    {"key": "sku", "type": "text", "label": "SKU", "unique": True},
    {"key": "expiry", "type": "date", "label": "E", "indexed": True},
    {"key": "warehouse", "type": "text", "label": "W", "indexed": True},
    {
        "key": "tags",
        "type": "multiselect",
        "label": "T",
        "indexed": True,
        "options": [{"value": "a"}],
    },
    {"key": "gone", "type": "integer", "label": "G", "indexed": True, "removed": True},
    {"key": "owner", "type": "user", "label": "O"},
]


def _ddl(dialect) -> dict[str, str]:
    table, _ = build_tables({"fields": FIELDS}, "f9_batches")
    return {i.name: str(CreateIndex(i).compile(dialect=dialect)) for i in table.indexes}


def test_an_indexed_field_gets_a_live_index_in_list_order_carrying_the_scope():
    ddl = _ddl(postgresql.dialect())
    assert ddl["il_f9_batches_expiry"] == (
        "CREATE INDEX il_f9_batches_expiry ON f9_batches (tenant_id, expiry, id) "
        "INCLUDE (owner_department_id, created_by, warehouse) WHERE deleted_at IS NULL"
    )
    assert "il_f9_batches_warehouse" in ddl
    # a list of options has no order to index; a removed field is no longer listed by
    assert not {"il_f9_batches_tags", "il_f9_batches_gone"} & set(ddl)
    # unique values and references are looked up among deleted rows too
    assert "WHERE" not in ddl["ux_f9_batches_sku"] and "WHERE" not in ddl["ix_f9_batches_owner"]


def test_sqlite_gets_the_same_partial_index_without_included_columns():
    ddl = _ddl(sqlite.dialect())
    assert ddl["il_f9_batches_expiry"] == (
        "CREATE INDEX il_f9_batches_expiry ON f9_batches (tenant_id, expiry, id) "
        "WHERE deleted_at IS NULL"
    )
