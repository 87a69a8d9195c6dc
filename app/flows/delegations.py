"""Use cases on out-of-office delegations: set one, list mine, cancel one, and find who takes
a user's new tasks today.

A delegation covers whole days in the tenant's time zone and either every flow or one. It
only routes tasks created while it is in force; tasks already waiting stay where they are
(the holder can transfer or delegate them by hand). Delegation does not chain: the delegate
of a delegate is not looked up, so two people away at once cannot bounce a task around.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from app.auth.scope import Scope
from app.errors import Conflict, Forbidden, ValidationError
from app.flows.people import ScopeDirectory, display_names
from app.forms.access import tenant_today
from app.models import FlowDefinition, FlowDelegation
from app.models.base import utcnow


def _away_query() -> sa.Select:
    """The active delegations of some users for one flow or for every flow (built once)."""
    return sa.select(FlowDelegation).where(
        FlowDelegation.tenant_id == sa.bindparam("tenant_id"),
        FlowDelegation.cancelled_at.is_(None),
        FlowDelegation.starts_on <= sa.bindparam("today"),
        FlowDelegation.ends_on >= sa.bindparam("today"),
        FlowDelegation.user_id.in_(sa.bindparam("user_ids", expanding=True)),
        sa.or_(
            FlowDelegation.definition_id.is_(None),
            FlowDelegation.definition_id == sa.bindparam("definition_id"),
        ),
    )


_AWAY = _away_query()


def delegation_fields(scope: Scope, delegation: FlowDelegation) -> dict:
    names = display_names(scope, [delegation.user_id, delegation.delegate_id])
    fields = ("id", "user_id", "delegate_id", "definition_id", "starts_on", "ends_on", "reason")
    return {
        **{f: getattr(delegation, f) for f in fields},
        "user_name": names.get(delegation.user_id, ""),
        "delegate_name": names.get(delegation.delegate_id, ""),
        "cancelled": delegation.cancelled_at is not None,
        "created_at": delegation.created_at,
    }


def list_delegations(scope: Scope) -> list[dict]:
    """The caller's delegations and those naming them as the delegate, newest first."""
    me = scope.user.id
    rows = scope.session.scalars(
        scope.select(FlowDelegation)
        .where(sa.or_(FlowDelegation.user_id == me, FlowDelegation.delegate_id == me))
        .order_by(FlowDelegation.id.desc())
    )
    return [delegation_fields(scope, d) for d in rows]


def create_delegation(scope: Scope, data: dict) -> dict:
    """Hand the caller's new tasks to someone else for a period (of one flow or every flow)."""
    me = scope.user.id
    delegate_id, starts_on, ends_on = data["delegate_id"], data["starts_on"], data["ends_on"]
    if delegate_id == me:
        raise ValidationError(
            "Delegate to someone else.", {"delegate_id": ["Choose another person."]}
        )
    if str(delegate_id) not in ScopeDirectory(scope).user_ids([str(delegate_id)]):
        raise ValidationError("No such active user.", {"delegate_id": ["No such active user."]})
    if ends_on < starts_on:
        raise ValidationError(
            "The delegation ends before it starts.", {"ends_on": ["On or after the start."]}
        )
    definition_id = data.get("definition_id")
    if definition_id is not None:
        scope.get(FlowDefinition, definition_id, "flow")
    overlapping = scope.session.scalar(
        scope.select(FlowDelegation, FlowDelegation.id).where(
            FlowDelegation.user_id == me,
            FlowDelegation.cancelled_at.is_(None),
            FlowDelegation.starts_on <= ends_on,
            FlowDelegation.ends_on >= starts_on,
            FlowDelegation.definition_id.is_(None)
            if definition_id is None
            else FlowDelegation.definition_id == definition_id,
        )
    )
    if overlapping is not None:
        raise Conflict(
            "You already delegate these tasks during part of this period.",
            code="delegation_overlaps",
            details={"delegation_id": overlapping},
        )
    delegation = scope.add(
        FlowDelegation(
            user_id=me,
            delegate_id=delegate_id,
            definition_id=definition_id,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=data.get("reason") or "",
        )
    )
    scope.session.commit()
    return delegation_fields(scope, delegation)


def cancel_delegation(scope: Scope, delegation_id: int) -> dict:
    """End one of the caller's delegations now; tasks already handed on stay handed on."""
    delegation = scope.get(FlowDelegation, delegation_id, "delegation")
    if delegation.user_id != scope.user.id:
        raise Forbidden("Only the person who set a delegation can cancel it.")
    if delegation.cancelled_at is None:
        delegation.cancelled_at = utcnow()
        scope.session.commit()
    return delegation_fields(scope, delegation)


def delegates_for(scope: Scope, user_ids: Iterable[int], definition_id: int) -> dict[int, int]:
    """Who takes each user's new tasks of this flow today (users not away are left out).

    A delegation for this flow wins over one for every flow; an inactive delegate is
    ignored, so the task stays with the user rather than going to nobody.
    """
    user_ids = set(user_ids)
    if not user_ids:
        return {}
    params = {
        "tenant_id": scope.tenant_id,
        "today": tenant_today(scope),
        "user_ids": sorted(user_ids),
        "definition_id": definition_id,
    }
    rows = scope.session.scalars(_AWAY, params)
    chosen: dict[int, FlowDelegation] = {}
    for row in rows:
        current = chosen.get(row.user_id)
        if current is None or (current.definition_id is None and row.definition_id is not None):
            chosen[row.user_id] = row
    if not chosen:
        return {}
    active = ScopeDirectory(scope).user_ids([str(d.delegate_id) for d in chosen.values()])
    return {
        user: d.delegate_id
        for user, d in chosen.items()
        if str(d.delegate_id) in active and d.delegate_id != user
    }
