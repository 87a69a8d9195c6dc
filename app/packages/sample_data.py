"""Sample records in a package: ``"data": {"<form key>": [records]}``.

Exported as values another tenant can read: a user by username, a department by name, a
record of another form by its title, never by id; files are not carried, and what the
platform computes (formulas, auto-numbers) is computed again. At most ``MAX_ROWS`` per
form. Imported through the record write path (``bulk_create_records``), forms that
others point at first, so every relation finds its record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.auth.scope import Scope
from app.errors import ValidationError
from app.forms.forms import compiled, compiled_by_key
from app.forms.records import bulk_create_records, list_records
from app.models import Department, Form, User
from app.packages.report import Report
from app.packages.schema import MAX_ROWS
from form_engine.compiled import CompiledForm
from form_engine.fields import field_type
from form_engine.fields.reference import ReferenceField

PAGE = 1000
NOT_CARRIED = ("attachment", "image")


def _carried(fields: dict[str, dict]) -> dict[str, dict]:
    return {
        k: f
        for k, f in fields.items()
        if not field_type(f).computed and f["type"] not in NOT_CARRIED
    }


def _targets(fields: dict[str, dict]) -> dict[str, str]:
    """Reference field key -> what it points at (users, departments, form:<key>)."""
    return {
        k: field_type(f).target(f)
        for k, f in fields.items()
        if isinstance(field_type(f), ReferenceField)
    }


def _names(scope: Scope, target: str, ids: set[int]) -> dict[int, Any]:
    """What another tenant finds the referenced rows by."""
    ids = {i for i in ids if isinstance(i, int) and 0 < i < 2**31}
    if not ids:
        return {}
    if target == "users":
        stmt = scope.select(User, User.id, User.username).where(User.id.in_(ids))
    elif target == "departments":
        stmt = scope.select(Department, Department.id, Department.name).where(
            Department.id.in_(ids)
        )
    else:
        other = compiled_by_key(scope, target.split(":", 1)[1])
        if other is None or other.title_key is None:
            return {}
        table = other.table
        stmt = select(table.c.id, table.c[other.title_key]).where(table.c.id.in_(ids))
    return dict(scope.session.execute(stmt).all())


def _portable(scope: Scope, form: CompiledForm, records: list[dict]) -> list[dict]:
    fields = _carried(form.fields)
    subtables = {
        k: _carried({c["key"]: c for c in f["fields"] if not c.get("removed")})
        for k, f in fields.items()
        if f["type"] == "subtable"
    }
    lines = {k: [line for r in records for line in r.get(k) or []] for k in subtables}
    names: dict[str, dict] = {}
    for rows, refs in [(records, _targets(fields))] + [
        (lines[k], _targets(child)) for k, child in subtables.items()
    ]:
        for key, target in refs.items():
            found = _names(scope, target, {row.get(key) for row in rows})
            names.setdefault(target, {}).update(found)

    def value_of(key: str, field: dict, value: Any) -> Any:
        if isinstance(field_type(field), ReferenceField) and value is not None:
            return names.get(field_type(field).target(field), {}).get(value)
        return value

    out = []
    for record in records:
        row = {}
        for key, field in fields.items():
            if key in subtables:
                row[key] = [
                    {ck: value_of(ck, cf, line.get(ck)) for ck, cf in subtables[key].items()}
                    for line in record.get(key) or []
                ]
            else:
                row[key] = value_of(key, field, record.get(key))
        out.append({k: v for k, v in row.items() if v is not None})
    return out


def export_data(scope: Scope, forms: list[Form]) -> dict[str, list[dict]]:
    """The records of each published form, as many as the exporter may read."""
    data = {}
    for form in forms:
        if form.published_version is None:
            continue
        _, form_c = compiled(scope, form.id)
        records: list[dict] = []
        page = 1
        while True:
            batch = list_records(scope, form.id, page=page, page_size=PAGE)["items"]
            records += batch
            if len(records) > MAX_ROWS:
                raise ValidationError(
                    f"The form '{form.key}' has more than {MAX_ROWS} records: "
                    "export the app without its data and move the records with Excel.",
                    {"with_data": [f"At most {MAX_ROWS} records per form."]},
                    code="package_data_too_large",
                )
            if len(batch) < PAGE:
                break
            page += 1
        if records:
            data[form.key] = _portable(scope, form_c, records)
    return data


def install_data(scope: Scope, data: dict[str, list], form_keys: list[str], report: Report) -> None:
    """Write the sample records of the package's forms, in ``form_keys`` order."""
    for key in data:
        if key not in form_keys:
            report.problem(f"data.{key}", f"No form '{key}' in this package.")
    for key in form_keys:
        rows = data.get(key) or []
        form = scope.session.scalar(scope.select(Form).where(Form.key == key))
        if not rows or form is None or form.published_version is None:
            continue
        with report.attempt(scope, f"data.{key}"):
            bulk_create_records(scope, form.id, rows)
            report.create["data"].append({"form": key, "label": form.label, "rows": len(rows)})
