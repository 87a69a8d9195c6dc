"""Export a filtered, sorted view to xlsx or CSV, streaming in constant memory.

Rows are fetched in chunks with a server-side cursor where the database has one and
written to openpyxl's write-only workbook (or a CSV writer) as they arrive.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO, Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.engine import Connection

from engine_errors import ValidationError
from form_engine.access import Access
from form_engine.compiled import CompiledForm
from form_engine.fields import field_type
from form_engine.fields.base import label
from form_engine.list_columns import computed_columns
from form_engine.records import query_clause, sort_clauses

CHUNK = 2000
FORMATS = ("xlsx", "csv")


def _columns(form: CompiledForm, fields: list[str] | None) -> list[dict]:
    chosen = [f for f in form.fields.values() if f["type"] != "subtable"]
    if fields:
        computed = computed_columns(form.meta)  # shown in the list, not exported
        unknown = [k for k in fields if k not in form.fields and k not in computed]
        if unknown:
            raise ValidationError("Unknown field.", {"fields": [f"No field '{unknown[0]}'."]})
        fields = [k for k in fields if k in form.fields]
        chosen = [form.fields[k] for k in fields if form.fields[k]["type"] != "subtable"]
    return chosen


def _rows(
    conn: Connection,
    form: CompiledForm,
    access: Access,
    columns: list[dict],
    condition: Any,
    sort: list[str] | None,
    locale: str,
) -> Iterator[list]:
    table = form.table
    stmt = (
        select(table.c.id, *[table.c[f["key"]] for f in columns])
        .where(query_clause(form, access, condition, False))
        .order_by(*sort_clauses(form, sort or [], access))
    )
    result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(stmt)
    kinds = [field_type(f) for f in columns]
    for row in result:
        yield [
            row[0],
            *[
                k.display(f, v, locale) if f["type"] not in NATIVE else v
                for k, f, v in zip(kinds, columns, row[1:], strict=True)
            ],
        ]


NATIVE = {"integer", "date", "rating"}


def export_view(
    conn: Connection,
    form: CompiledForm,
    access: Access,
    out: IO[bytes],
    *,
    fmt: str = "xlsx",
    condition: Any = None,
    sort: list[str] | None = None,
    fields: list[str] | None = None,
    locale: str = "zh",
) -> int:
    """Write the view to ``out``; returns the number of rows written."""
    if fmt not in FORMATS:
        raise ValidationError("Unknown export format.", {"format": [f"One of {FORMATS}."]})
    columns = _columns(form, fields)
    header = ["ID", *[label(f, locale) for f in columns]]
    rows = _rows(conn, form, access, columns, condition, sort, locale)
    count = 0
    if fmt == "csv":
        text = _TextOut(out)
        writer = csv.writer(text)
        text.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
        return count
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        count += 1
    book.save(out)
    return count


class _TextOut:
    """Lets csv.writer write UTF-8 into a binary stream."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        return self.raw.write(text.encode("utf-8"))
