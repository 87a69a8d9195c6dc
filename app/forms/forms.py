"""Use cases on forms: edit the draft, preview and publish it, read versions and diffs.

Publishing validates the draft, refuses changes that would lose data, creates or
extends the real table in the same transaction as the new version row, and so either
everything happens or nothing does.
"""

from __future__ import annotations

from app.auth.scope import Scope
from app.errors import Conflict, ValidationError
from app.keys import fill_field_keys, free_key
from app.models import App, Form, FormVersion
from form_engine import ledger, lookups
from form_engine.compiled import CompiledForm, compile_form
from form_engine.schema import check_draft_outline, validate_metadata
from form_engine.sequences import ensure_counters
from form_engine.storage import apply_tables, check_compatible
from form_engine.versions import diff_meta


def list_forms(scope: Scope, app_id: int | None) -> list[Form]:
    stmt = scope.select(Form).order_by(Form.id)
    if app_id is not None:
        stmt = stmt.where(Form.app_id == app_id)
    return list(scope.session.scalars(stmt))


def create_form(scope: Scope, app_id: int, data: dict, language: str = "zh") -> Form:
    """Create a draft form; without a key, one is made from its label (``app.keys``)."""
    scope.get(App, app_id, "app")
    key = data.get("key") or free_key(scope, Form, data["label"], language, "form")
    if scope.session.scalar(scope.select(Form).where(Form.key == key)) is not None:
        raise Conflict("This form key is taken.", {"key": ["Already in use."]})
    draft = data.get("draft") or {"fields": []}
    check_draft_outline(draft)
    draft = _with_field_keys(draft, language)
    form = scope.add(
        Form(
            app_id=app_id,
            key=key,
            label=data["label"],
            draft=draft,
            table_name=f"f{scope.tenant_id}_{key}",
        )
    )
    scope.session.commit()
    return form


def _with_field_keys(draft: dict, language: str) -> dict:
    """The draft, its fields without a key given one from their labels."""
    if not isinstance(draft, dict) or "fields" not in draft:
        return draft
    return {**draft, "fields": fill_field_keys(draft["fields"], language)}


def update_form(scope: Scope, form_id: int, data: dict, language: str = "zh") -> Form:
    form = scope.get(Form, form_id, "form")
    if "label" in data:
        form.label = data["label"]
    if "draft" in data:
        check_draft_outline(data["draft"])
        form.draft = _with_field_keys(data["draft"], language)
    scope.session.commit()
    return form


def latest_version(scope: Scope, form: Form) -> FormVersion | None:
    if form.published_version is None:
        return None
    return scope.session.scalar(
        scope.select(FormVersion).where(
            FormVersion.form_id == form.id, FormVersion.version == form.published_version
        )
    )


def _check_relations(scope: Scope, form: Form, meta: dict) -> None:
    """Each relation points at a published form and field, and what the form reads there
    (a stock ledger's target, fields copied by ``default_from``) is there to read."""
    problems = {}
    targets = {}
    for index, field in enumerate(meta["fields"]):
        if field["type"] != "relation" or field.get("removed"):
            continue
        target_key, display = field["relation"]["form"], field["relation"]["display"]
        target = scope.session.scalar(scope.select(Form).where(Form.key == target_key))
        target_meta = (
            latest_version(scope, target).meta
            if target and target.id != form.id and target.published_version
            else meta
            if target_key == form.key
            else None
        )
        if target_meta is None:
            problems[f"fields.{index}.relation.form"] = [
                f"No published form '{target_key}' to point at."
            ]
        elif display not in {f["key"] for f in target_meta["fields"]}:
            problems[f"fields.{index}.relation.display"] = [
                f"Form '{target_key}' has no field '{display}'."
            ]
        else:
            targets[field["key"]] = (target_key, target_meta)
            if (meta.get("ledger") or {}).get("relation") == field["key"]:
                problems.update(ledger.target_problems(meta, target_meta))
                problems.update(ledger.fefo_target_problems(meta, target_meta))
            if (meta.get("limit") or {}).get("relation") == field["key"]:
                problems.update(ledger.limit_target_problems(meta, target_meta))
    for index, field in enumerate(meta["fields"]):
        spec = field.get("default_from")
        if spec and spec["relation"] in targets and not field.get("removed"):
            target_key, target_meta = targets[spec["relation"]]
            found = lookups.target_problems(field, target_meta, target_key)
            if found:
                problems[f"fields.{index}.default_from.field"] = found
    if problems:
        raise ValidationError("A relation points at nothing.", problems)


def preview_publish(scope: Scope, form_id: int) -> dict:
    """What publishing the draft would change, without changing anything."""
    form = scope.get(Form, form_id, "form")
    current = latest_version(scope, form)
    meta = validate_metadata(form.draft)
    merged = check_compatible(current.meta if current else None, meta)
    return {
        "version": (form.published_version or 0) + 1,
        "diff": diff_meta(current.meta if current else None, merged),
    }


def publish(scope: Scope, form_id: int) -> FormVersion:
    form = scope.get(Form, form_id, "form")
    current = latest_version(scope, form)
    meta = validate_metadata(form.draft)
    merged = check_compatible(current.meta if current else None, meta)
    _check_relations(scope, form, merged)
    connection = scope.session.connection()
    changes = apply_tables(connection, merged, form.table_name)
    ensure_counters(connection)
    version = (form.published_version or 0) + 1
    row = scope.add(
        FormVersion(
            form_id=form.id,
            version=version,
            meta=merged,
            changes=changes,
            published_by=scope.user.id if scope.user else None,
        )
    )
    form.published_version = version
    form.draft = merged
    scope.session.commit()
    return row


def list_versions(scope: Scope, form_id: int) -> list[FormVersion]:
    form = scope.get(Form, form_id, "form")
    stmt = scope.select(FormVersion).where(FormVersion.form_id == form.id)
    return list(scope.session.scalars(stmt.order_by(FormVersion.version)))


def version_diff(scope: Scope, form_id: int, old: int, new: int) -> dict:
    versions = {v.version: v.meta for v in list_versions(scope, form_id)}
    missing = [v for v in (old, new) if v not in versions]
    if missing:
        raise ValidationError("Unknown version.", {"version": [f"No version {missing[0]}."]})
    return diff_meta(versions[old], versions[new])


def compiled(scope: Scope, form_id: int) -> tuple[Form, CompiledForm]:
    """The published form, compiled; a form never published has no records yet."""
    form = scope.get(Form, form_id, "form")
    current = latest_version(scope, form)
    if current is None:
        raise Conflict("Publish this form before entering records.", code="form_not_published")
    return form, compile_form(form.key, current.version, current.meta, form.table_name)


def compiled_by_key(scope: Scope, key: str) -> CompiledForm | None:
    form = scope.session.scalar(scope.select(Form).where(Form.key == key))
    if form is None or form.published_version is None:
        return None
    return compiled(scope, form.id)[1]
