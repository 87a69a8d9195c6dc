"""Deployed flow versions and the published form versions their records are read with,
kept per process.

Both rows never change once written, so a copy read once serves every later step of every
instance on them, in any process. A copy is keyed by tenant, id and creation time: an id
that a rolled-back transaction gave out and a later one reuses never finds the other's
copy. What changes (a flow's latest version, a form's published version) is still read
from the database by the caller and only then looked up here. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.auth.scope import Scope
from app.errors import Conflict, NotFound
from app.models import FlowDefinition, FlowVersion, Form, FormVersion
from flow_engine.runtime import has_timer_events
from form_engine.compiled import CompiledForm, compile_form

LIMIT = 512  # copies kept per kind; past it the cache starts again from empty


@dataclass(frozen=True)
class DeployedVersion:
    """What running an instance needs of its flow version (the rest stays in the table)."""

    id: int
    definition_id: int
    version: int
    spec: str
    nodes: dict
    timed: bool  # it has user-task timeouts or timer events


@dataclass(frozen=True)
class FormRef:
    """The changing part of a form row: which version is published now."""

    id: int
    key: str
    table_name: str
    published_version: int | None
    created_at: datetime


FORM_COLUMNS = (Form.id, Form.key, Form.table_name, Form.published_version, Form.created_at)
_versions: dict[tuple, DeployedVersion] = {}
_latest: dict[tuple, DeployedVersion] = {}
_forms: dict[tuple, CompiledForm] = {}


def _keep(cache: dict, key: tuple, value: Any) -> None:
    if len(cache) >= LIMIT:
        cache.clear()
    cache[key] = value


def _timed(spec: str, nodes: dict) -> bool:
    return has_timer_events(spec) or any(
        n.get("timeout") or n.get("duration") for n in nodes.values()
    )


def remember(row: FlowVersion) -> DeployedVersion:
    """The cached copy of a version row the caller has already read."""
    key = (row.tenant_id, row.id, row.created_at)
    found = _versions.get(key)
    if found is None:
        found = DeployedVersion(
            row.id,
            row.definition_id,
            row.version,
            row.spec,
            row.nodes,
            _timed(row.spec, row.nodes),
        )
        _keep(_versions, key, found)
    return found


def deployed_version(
    scope: Scope, version_id: int, created_at: datetime | None = None
) -> DeployedVersion:
    """A version of this tenant; ``created_at``, when the caller read it with another row,
    saves the one small query that tells the copy is still this row."""
    if created_at is None:
        created_at = scope.session.scalar(
            scope.select(FlowVersion, FlowVersion.created_at).where(FlowVersion.id == version_id)
        )
        if created_at is None:
            raise NotFound(f"No flow version with id {version_id}.")
    found = _versions.get((scope.tenant_id, version_id, created_at))
    if found is not None:
        return found
    row = scope.session.scalar(scope.select(FlowVersion).where(FlowVersion.id == version_id))
    if row is None:
        raise NotFound(f"No flow version with id {version_id}.")
    return remember(row)


def latest_version(scope: Scope, flow: FlowDefinition) -> DeployedVersion:
    """The flow's latest deployed version (the caller has checked there is one)."""
    key = (scope.tenant_id, flow.id, flow.created_at, flow.latest_version)
    found = _latest.get(key)
    if found is None:
        row = scope.session.scalar(
            scope.select(FlowVersion).where(
                FlowVersion.definition_id == flow.id, FlowVersion.version == flow.latest_version
            )
        )
        found = remember(row)
        _keep(_latest, key, found)
    return found


def form_ref(scope: Scope, form_id: int) -> FormRef:
    row = scope.session.execute(scope.select(Form, *FORM_COLUMNS).where(Form.id == form_id)).first()
    if row is None:
        raise NotFound(f"No form with id {form_id}.")
    return FormRef(*row)


def published_form(scope: Scope, ref: FormRef) -> CompiledForm:
    """The form as published now, compiled (like ``app.forms.forms.compiled``)."""
    if ref.published_version is None:
        raise Conflict("Publish this form before entering records.", code="form_not_published")
    key = (scope.tenant_id, ref.id, ref.created_at, ref.published_version)
    found = _forms.get(key)
    if found is None:
        meta = scope.session.scalar(
            scope.select(FormVersion, FormVersion.meta).where(
                FormVersion.form_id == ref.id, FormVersion.version == ref.published_version
            )
        )
        found = compile_form(ref.key, ref.published_version, meta, ref.table_name)
        _keep(_forms, key, found)
    return found
