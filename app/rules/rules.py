"""Use cases on rules: edit the draft, publish a version, scan, and react to record changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from sqlalchemy import update

from app.auth.scope import Scope
from app.errors import Conflict
from app.forms.access import tenant_today
from app.forms.forms import compiled_by_key
from app.models import Form, Rule, RuleVersion
from app.models.base import utcnow
from app.rules.actions import Outbox, deliver, fire
from app.rules.alerts import claim_firing, reconcile
from app.rules.classify import classify
from app.rules.definition import validate_definition
from form_engine.access import Access

EDITABLE = ("label", "draft", "schedule", "enabled", "app_id")


def list_rules(scope: Scope) -> list[Rule]:
    return list(scope.session.scalars(scope.select(Rule).order_by(Rule.id)))


def create_rule(scope: Scope, data: dict) -> Rule:
    if scope.session.scalar(scope.select(Rule).where(Rule.key == data["key"])) is not None:
        raise Conflict("This rule key is taken.", {"key": ["Already in use."]})
    rule = scope.add(Rule(key=data["key"], **{k: data[k] for k in EDITABLE if k in data}))
    scope.session.commit()
    return rule


def update_rule(scope: Scope, rule_id: int, data: dict) -> Rule:
    rule = scope.get(Rule, rule_id, "rule")
    for key in EDITABLE:
        if key in data:
            setattr(rule, key, data[key])
    scope.session.commit()
    return rule


def published_definition(scope: Scope, rule: Rule) -> dict | None:
    if rule.published_version is None:
        return None
    version = scope.session.scalar(
        scope.select(RuleVersion).where(
            RuleVersion.rule_id == rule.id, RuleVersion.version == rule.published_version
        )
    )
    return version.definition if version else None


def publish_rule(scope: Scope, rule_id: int) -> RuleVersion:
    rule = scope.get(Rule, rule_id, "rule")
    definition = validate_definition(rule.draft, _form(scope, rule.draft))
    version = (rule.published_version or 0) + 1
    row = scope.add(RuleVersion(rule_id=rule.id, version=version, definition=definition))
    rule.published_version = version
    scope.session.commit()
    return row


def _form(scope: Scope, definition):
    key = definition.get("form") if isinstance(definition, dict) else None
    return compiled_by_key(scope, key) if isinstance(key, str) else None


def system_access(scope: Scope) -> Access:
    """Rules see every row of the tenant: they act for the organisation, not one user."""
    return Access(
        tenant_id=scope.tenant_id,
        user_id=None,
        department_id=None,
        today=tenant_today(scope),
        dialect=scope.session.get_bind().dialect.name,
    )


def scan(
    scope: Scope,
    rule_id: int,
    record_ids: list[int] | None = None,
    send_email: Callable[[int], object] | None = None,
) -> dict:
    """Classify (all rows, or the given ones), reconcile alerts and fire what changed."""
    _lock_rule(scope, rule_id)
    rule = scope.get(Rule, rule_id, "rule")
    definition = published_definition(scope, rule)
    if definition is None:
        raise Conflict("Publish this rule before running it.", code="rule_not_published")
    form = _form(scope, definition)
    form_row = scope.session.scalar(scope.select(Form).where(Form.key == definition["form"]))
    rows = classify(
        scope.session.connection(),
        form,
        definition,
        system_access(scope),
        lambda key: compiled_by_key(scope, key),
        record_ids,
    )
    result = reconcile(scope, rule.id, form_row.id, rows, record_ids)
    outbox = Outbox(digest=bool(definition.get("digest")))
    fired = 0
    for alert_id, level, row in result.to_fire:
        if claim_firing(scope, alert_id, level):
            fire(scope, definition, form_row.id, rule.id, alert_id, level, row, form, outbox)
            fired += 1
    deliver(scope, outbox)
    if record_ids is None:
        rule.last_scan_at = utcnow()
    scope.session.commit()
    for delivery_id in outbox.emails:
        if send_email:
            send_email(delivery_id)
    counts = asdict(result)
    counts.pop("to_fire")
    return {**counts, "fired": fired, "classified": len(rows), "emails": len(outbox.emails)}


def _lock_rule(scope: Scope, rule_id: int) -> None:
    """Serialise scans of one rule: a write on its row is the transaction's first statement.

    PostgreSQL makes a second scan wait on the row lock and then read what the first one
    wrote; SQLite takes its write lock before any read, so no scan works from a stale
    snapshot. The unique keys on alerts and firings stay as the last line of defence.
    """
    scope.session.commit()
    scope.session.execute(
        update(Rule)
        .where(Rule.id == rule_id, Rule.tenant_id == scope.tenant_id)
        .values(updated_at=utcnow())
    )


def rules_for_form(scope: Scope, form_key: str) -> list[Rule]:
    rules = scope.session.scalars(
        scope.select(Rule).where(Rule.enabled.is_(True), Rule.published_version.is_not(None))
    )
    return [r for r in rules if (published_definition(scope, r) or {}).get("form") == form_key]


def on_record_changed(
    scope: Scope, form_key: str, record_id: int, send_email: Callable[[int], object] | None = None
) -> None:
    """Re-check only the changed record under every rule that watches its form."""
    for rule in rules_for_form(scope, form_key):
        scan(scope, rule.id, [record_id], send_email)


def rescan_form(scope: Scope, form_key: str) -> None:
    """After a bulk change, rescan every rule that watches the form."""
    for rule in rules_for_form(scope, form_key):
        scan(scope, rule.id)
