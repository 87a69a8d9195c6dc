"""What the holder of a task may see and change of the bound record: the node's field
permissions (editable, read-only, hidden; a field the node does not name is read-only).

A task shows the record without its hidden fields. An approval may carry edits; each must
be to an editable field, and they are written with the record's own optimistic lock (the
``row_version`` the approver read), in the same transaction as the decision.
"""

from __future__ import annotations

from app.audit.log import write_entry
from app.auth.scope import Scope
from app.errors import ValidationError
from app.forms.access import tenant_today
from app.forms.directory import TenantDirectory
from app.forms.forms import compiled
from form_engine import records
from form_engine.access import Access
from form_engine.compiled import CompiledForm

DEFAULT = "readonly"


def permissions(form: CompiledForm, node: dict) -> dict[str, str]:
    """Every field of the form with its permission on this node."""
    named = node.get("fields") or {}
    return {key: named.get(key, DEFAULT) for key in form.fields}


def visible(record: dict, granted: dict[str, str]) -> dict:
    """The record without the fields hidden on this node (its meta keys stay)."""
    return {k: v for k, v in record.items() if granted.get(k) != "hidden"}


def check_edits(values: dict, granted: dict[str, str]) -> None:
    """Refuse edits to fields this node does not make editable, naming each one."""
    errors = {}
    for key in values:
        permission = granted.get(key)
        if permission is None:
            errors[f"values.{key}"] = ["Unknown field."]
        elif permission != "editable":
            errors[f"values.{key}"] = [f"This field is {permission} on this step."]
    if errors:
        raise ValidationError("Only the editable fields of this step can be changed.", errors)


def write_edits(scope: Scope, form_id: int, record_id: int, values: dict, row_version) -> None:
    """Save checked edits to the bound record at the version the approver read."""
    form, form_c = compiled(scope, form_id)
    access = Access(
        tenant_id=scope.tenant_id,
        user_id=scope.user.id,
        department_id=None,
        today=tenant_today(scope),
        scope="all",  # the flow lets the holder edit the record, whoever owns it
        dialect=scope.session.get_bind().dialect.name,
    )
    if row_version is None:
        raise ValidationError(
            "Send the record's row_version you read with your edits.",
            {"record_row_version": ["Required with values."]},
        )
    try:
        before, after = records.update(
            scope.session.connection(),
            form_c,
            record_id,
            values,
            row_version,
            access,
            TenantDirectory(scope, access),
        )
    except ValidationError as exc:
        exc.errors = {
            ("record_row_version" if k == "row_version" else f"values.{k}"): v
            for k, v in exc.errors.items()
        }
        raise
    diff = {k: [before.get(k), after.get(k)] for k in values if before.get(k) != after.get(k)}
    write_entry(scope, f"record:{form.key}", record_id, "update", diff)
