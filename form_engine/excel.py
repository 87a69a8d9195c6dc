"""Excel and CSV import: read, map columns, validate every row, insert or upsert.

Rows are validated a batch at a time by ``bulk.BulkPreparer``, which accepts and refuses
exactly what ``values.prepare`` does for the API, and new rows are written together by
``bulk_write.insert_many``; each batch is one transaction when ``progress`` commits.
Bad rows are reported with the row number (as the spreadsheet shows it), the column and
the reason, and can be downloaded as an error workbook to fix and import again. A dry
run writes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from openpyxl import Workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select
from sqlalchemy.engine import Connection

from engine_errors import GreenShelfError, ValidationError
from form_engine import records
from form_engine.access import Access, visible_rows
from form_engine.bulk import BulkPreparer
from form_engine.bulk_write import insert_many
from form_engine.compiled import CompiledForm
from form_engine.fields.base import label
from form_engine.values import Directory, Prepared, prepare

IMPORTABLE = {"autonumber", "formula", "subtable"}
MAX_REPORTED = 5000


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportResult:
    total: int = 0
    inserted: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_rows: dict[int, list] = field(default_factory=dict)
    created_ids: list[int] = field(default_factory=list)  # empty on a dry run
    updated_ids: list[int] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return len(self.error_rows)


def _cells(row: list) -> list:
    """Cells as an import reads them: text trimmed (blank is None), whole floats as ints."""
    return [
        (v.strip() or None)
        if type(v) is str
        else (int(v) if v.is_integer() else v)
        if type(v) is float
        else v
        for v in row
    ]


def read_table(content: bytes, filename: str) -> tuple[list[str], Iterator[list]]:
    """Headers and rows of the first sheet of an xlsx/xls/ods file, or of a CSV file."""
    name = filename.lower()
    if name.endswith(".csv"):
        text = content.decode("utf-8-sig", errors="replace")
        if "\x00" in text:  # most often a UTF-16 file: no database stores NUL in text
            raise ValidationError(
                "This CSV file holds NUL characters; save it as UTF-8 text and upload it again.",
                {"file": ["Contains the NUL character (\\0)."]},
            )
        reader = csv.reader(io.StringIO(text))
        rows = iter(reader)
    else:
        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        except Exception as exc:  # calamine raises several types for unreadable files
            raise ValidationError(
                "This file is not a spreadsheet GreenShelf can read.", {"file": [str(exc)[:200]]}
            ) from None
        rows = iter(sheet.iter_rows())
    try:
        headers = [str(h).strip() if h is not None else "" for h in next(rows)]
    except StopIteration:
        raise ValidationError("The file is empty.", {"file": ["No header row."]}) from None
    return headers, (_cells(row) for row in rows)


def map_columns(
    form: CompiledForm, headers: list[str], mapping: dict[str, str] | None = None
) -> dict[int, str]:
    """Column index -> field key, by explicit mapping, field key or label (zh or en)."""
    names: dict[str, str] = {}
    for key, f in form.fields.items():
        if f["type"] in IMPORTABLE:
            continue
        names[key] = key
        for locale in ("zh", "en"):
            names.setdefault(label(f, locale), key)
    result, problems = {}, {}
    for index, header in enumerate(headers):
        if not header:
            continue
        wanted = (mapping or {}).get(header, header)
        if wanted in (None, "", "-"):
            continue
        key = names.get(wanted)
        if key is None:
            problems[f"columns.{header}"] = ["No field with this name or key; map or drop it."]
        elif key in result.values():
            problems[f"columns.{header}"] = [f"Field '{key}' is mapped twice."]
        else:
            result[index] = key
    if problems:
        raise ValidationError("Some columns do not match a field.", problems)
    if not result:
        raise ValidationError("No column matches a field of this form.", {"columns": ["None."]})
    return result


def _existing_by_key(
    conn: Connection, form: CompiledForm, access: Access, key_field: str, keys: list
) -> dict:
    table = form.table
    column = table.c[key_field]
    rows = conn.execute(
        select(column, table.c.id, table.c.row_version).where(
            column.in_(keys), visible_rows(access, table)
        )
    )
    return {k: (i, v) for k, i, v in rows}


def import_rows(
    connect: Callable[[], Connection],
    form: CompiledForm,
    headers: list[str],
    rows: Iterator[list],
    access: Access,
    directory: Directory,
    *,
    mapping: dict | None = None,
    key_field: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    batch: int = 5000,
) -> ImportResult:
    """Validate every row; unless dry_run, insert (or update by key_field) the good ones.

    ``connect`` gives the connection to write with; it is asked again after each batch
    because ``progress`` may commit (and so end) the transaction of the previous one.
    Rows are handled in file order: a row sees what the rows above it wrote.
    """
    columns = map_columns(form, headers, mapping)
    if key_field and not form.fields.get(key_field, {}).get("unique"):
        raise ValidationError(
            "Upsert needs a unique field.", {"key_field": [f"'{key_field}' is not a unique field."]}
        )
    result = ImportResult()
    preparer = BulkPreparer(form, directory, access.today)
    pending: list[tuple[int, dict, list]] = []

    def flush() -> None:
        conn = connect()
        existing = {}
        if key_field:
            keys = [d.get(key_field) for _, d, _ in pending if d.get(key_field) is not None]
            existing = _existing_by_key(conn, form, access, key_field, keys)
        run: list[tuple[int, dict, list]] = []
        for line, data, raw in pending:
            found = existing.get(data.get(key_field)) if key_field else None
            if found is None:
                run.append((line, data, raw))
                continue
            _insert_run(conn, form, access, preparer, run, dry_run, result)
            run = []
            _update_one(conn, form, access, directory, line, data, raw, found, dry_run, result)
        _insert_run(conn, form, access, preparer, run, dry_run, result)
        pending.clear()
        if progress:
            progress(result.total)

    indexes = list(columns.items())
    for offset, raw in enumerate(rows):
        width = len(raw)
        if raw.count(None) == width:
            continue  # a blank line
        data = {key: raw[i] if i < width else None for i, key in indexes}
        for key, value in data.items():
            if isinstance(value, datetime):
                data[key] = _plain(value)
        pending.append((offset + 2, data, raw))
        result.total += 1
        if len(pending) >= batch:
            flush()
    flush()
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()
    return value


def _insert_run(conn, form, access, preparer, run, dry_run, result: ImportResult) -> None:
    """Validate and insert consecutive new rows together; report problems in row order."""
    if not run:
        return
    outcomes: list = preparer.prepare([data for _, data, _ in run])
    good = [i for i, o in enumerate(outcomes) if isinstance(o, Prepared)]
    if not dry_run and good:
        written = insert_many(conn, form, [outcomes[i] for i in good], access)
        for i, outcome in zip(good, written, strict=True):
            outcomes[i] = outcome
    for (line, _, raw), outcome in zip(run, outcomes, strict=True):
        if isinstance(outcome, dict):
            _report(result, line, raw, outcome)
        elif isinstance(outcome, GreenShelfError):
            _report(result, line, raw, outcome.errors or {"_row": [outcome.message]})
        else:
            result.inserted += 1
            if not dry_run:
                result.created_ids.append(outcome)


def _update_one(conn, form, access, directory, line, data, raw, existing, dry_run, result):
    try:
        record_id, version = existing
        if dry_run:
            current = records.stored_values(form, records.load_row(conn, form, record_id, access))
            prepare(form, data, directory, access.today, existing=current)
        else:
            records.update(conn, form, record_id, data, version, access, directory)
            result.updated_ids.append(record_id)
        result.updated += 1
    except GreenShelfError as exc:
        _report(result, line, raw, exc.errors or {"_row": [exc.message]})


def _report(result: ImportResult, line: int, raw: list, errors: dict[str, list[str]]) -> None:
    result.error_rows[line] = list(raw)
    for path, messages in errors.items():
        if len(result.errors) < MAX_REPORTED:
            result.errors.append(RowError(line, path, "; ".join(messages)))


def error_workbook(headers: list[str], result: ImportResult) -> bytes:
    """The bad rows as they were, with a column saying what is wrong, ready to fix."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("errors")
    sheet.append(["错误 Error", "行 Row", *headers])
    reasons: dict[int, list[str]] = {}
    for error in result.errors:
        reasons.setdefault(error.row, []).append(f"{error.field}: {error.message}")
    for line, raw in sorted(result.error_rows.items()):
        sheet.append(["; ".join(reasons.get(line, [])), line, *[_excel(v) for v in raw]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _excel(value: Any) -> Any:
    return (
        value
        if isinstance(value, str | int | float | date | datetime) or value is None
        else str(value)
    )


def template(form: CompiledForm, locale: str = "zh") -> bytes:
    """An empty workbook with one column per importable field and a help sheet."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(
        label({"label": form.meta.get("label") or {}, "key": "data"}, locale)[:31] or "data"
    )
    importable = [f for f in form.fields.values() if f["type"] not in IMPORTABLE]
    sheet.append([label(f, locale) for f in importable])
    help_sheet = book.create_sheet("说明 Help")
    help_sheet.append(["字段 Field", "键 Key", "类型 Type", "必填 Required", "选项 Options"])
    for f in importable:
        options = ", ".join(
            label(o, locale) if o.get("label") else str(o["value"]) for o in f.get("options", [])
        )
        help_sheet.append(
            [label(f, locale), f["key"], f["type"], "是 yes" if f.get("required") else "", options]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
