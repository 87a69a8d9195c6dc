"""What the holder of a task may see and change of the bound record: the node's field
permissions (editable, read-only, hidden; a field the node does not name is read-only).

A task shows the record without its hidden fields. An approval may carry edits; each must
be to an editable field, and they are written with the record's own optimistic lock (the
``row_version`` the approver read), in the same transaction as the decision.
"""

from __future__ import annotations

from app.auth.scope import Scope
from app.errors import ValidationError
from app.forms.access import whole_tenant_access
from app.forms.records import write_record
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
    if row_version is None:
        raise ValidationError(
            "Send the record's row_version you read with your edits.",
            {"record_row_version": ["Required with values."]},
        )
    try:  # the flow lets the holder edit the record, whoever owns it
        write_record(
            scope,
            form_id,
            "update",
            values=values,
            record_id=record_id,
            row_version=row_version,
            access=whole_tenant_access(scope, scope.user),
        )
    except ValidationError as exc:
        exc.errors = {
            ("record_row_version" if k == "row_version" else f"values.{k}"): v
            for k, v in exc.errors.items()
        }
        raise
