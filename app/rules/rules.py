"""Use cases on rules: edit the draft, publish a version, scan, and react to record changes."""

from __future__ import annotations

import logging

from sqlalchemy import update

from app.audit.log import write_entry
from app.auth.scope import Scope
from app.errors import Conflict, NotFound
from app.forms.access import tenant_today
from app.forms.forms import compiled_by_key
from app.keys import free_key
from app.models import Form, Rule, RuleVersion
from app.models.base import utcnow
from app.rules import temp_tables
from app.rules.actions import Outbox, deliver, fire, levels_acting_in_python
from app.rules.alerts import SCAN, claimed, close_alerts, reconcile
from app.rules.audience import Audience
from app.rules.classify import classification_query, count_in_scope, in_scope
from app.rules.definition import validate_definition
from app.rules.flow_actions import start_flows, with_initiator
from app.rules.references import reference_problems
from app.rules.todo_actions import write_todos
from form_engine.access import Access

log = logging.getLogger(__name__)

EDITABLE = ("label", "draft", "schedule", "enabled", "app_id")


#: an archived rule's key starts with this (user keys cannot), which frees the key
ARCHIVED = "~"


def _live():
    return ~Rule.key.startswith(ARCHIVED, autoescape=True)


def list_rules(scope: Scope) -> list[Rule]:
    return list(scope.session.scalars(scope.select(Rule).where(_live()).order_by(Rule.id)))


def get_rule(scope: Scope, rule_id: int) -> Rule:
    """A rule of the tenant that is not archived, or NotFound."""
    rule = scope.get(Rule, rule_id, "rule")
    if rule.key.startswith(ARCHIVED):
        raise NotFound(f"No rule with id {rule_id}.")
    return rule


def archive_rule(scope: Scope, rule_id: int) -> None:
    """Unpublish and hide a rule, closing its open alerts; its history stays readable."""
    rule = get_rule(scope, rule_id)
    closed = close_alerts(scope, rule.id, "rule archived")
    before = {"key": rule.key, "published_version": rule.published_version}
    rule.enabled, rule.published_version = False, None
    rule.key = f"{ARCHIVED}{rule.id}~{rule.key}"[:40]
    write_entry(
        scope,
        "rules",
        rule.id,
        "delete",
        {
            "key": (before["key"], None),
            "published_version": (before["published_version"], None),
            "closed_alerts": (None, closed),
        },
    )
    scope.session.commit()


def create_rule(scope: Scope, data: dict, language: str = "zh") -> Rule:
    key = data.get("key") or free_key(scope, Rule, data["label"], language, "rule")
    if scope.session.scalar(scope.select(Rule).where(Rule.key == key)) is not None:
        raise Conflict("This rule key is taken.", {"key": ["Already in use."]})
    rule = scope.add(Rule(key=key, **{k: data[k] for k in EDITABLE if k in data}))
    scope.session.commit()
    return rule


def update_rule(scope: Scope, rule_id: int, data: dict) -> Rule:
    rule = get_rule(scope, rule_id)
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


def check_definition(scope: Scope, definition) -> dict:
    """The definition, if it and everything its actions name are valid; else every problem."""
    form = _form(scope, definition)
    return validate_definition(
        definition,
        form,
        lambda problems: reference_problems(
            scope, definition, form, problems, lambda key: compiled_by_key(scope, key)
        ),
    )


def publish_rule(scope: Scope, rule_id: int) -> RuleVersion:
    rule = get_rule(scope, rule_id)
    definition = check_definition(scope, rule.draft)
    definition = with_initiator(definition, scope.user.id if scope.user else None)
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
) -> dict:
    """Classify (all rows, or the given ones), reconcile alerts and fire what changed."""
    _lock_rule(scope, rule_id)
    rule = get_rule(scope, rule_id)
    definition = published_definition(scope, rule)
    if definition is None:
        raise Conflict("Publish this rule before running it.", code="rule_not_published")
    form = _form(scope, definition)
    form_row = scope.session.scalar(scope.select(Form).where(Form.key == definition["form"]))
    access = system_access(scope)
    forms_by_key = lambda key: compiled_by_key(scope, key)  # noqa: E731
    result = reconcile(
        scope,
        rule.id,
        form_row.id,
        classification_query(form, definition, access, forms_by_key, record_ids),
        in_scope(form, definition, access, forms_by_key),
        record_ids,
    )
    classified = count_in_scope(
        scope.session.connection(), form, definition, access, forms_by_key, record_ids
    )
    todos = write_todos(
        scope, form, definition, rule.id, form_row.id, SCAN, result.where, result.at
    )
    outbox = Outbox(digest=bool(definition.get("digest")))
    audience = Audience(scope, form)
    firing, left_out = claimed(scope, result, levels_acting_in_python(definition, audience))
    fire(scope, definition, form_row.id, rule.id, firing, form, outbox, left_out, audience)
    deliver(scope, outbox)
    temp_tables.drop(scope, SCAN)
    if record_ids is None:
        rule.last_scan_at = utcnow()
    scope.session.commit()
    flows = start_flows(scope, definition, form, outbox.flows, access.today)
    counts = {k: getattr(result, k) for k in ("opened", "escalated", "changed", "closed", "fired")}
    return {
        **counts,
        "todos": todos,
        "flows": flows,
        "classified": classified,
        "emails": len(outbox.emails),
    }


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


def on_record_changed(scope: Scope, form_key: str, record_id: int) -> None:
    """Re-check only the changed record under every rule that watches its form."""
    for rule in rules_for_form(scope, form_key):
        scan_after_change(scope, rule, [record_id])


def rescan_form(scope: Scope, form_key: str) -> None:
    """After a bulk change, rescan every rule that watches the form."""
    for rule in rules_for_form(scope, form_key):
        scan_after_change(scope, rule, None)


def scan_after_change(scope: Scope, rule: Rule, record_ids) -> None:
    """A scan following a saved change: the change is committed already, so a rule that
    cannot run (its form changed under it, a lookup form went away) must not turn the
    save into an error. The failure is logged and written to the audit trail under the
    rule, and the scheduled scan tries again."""
    rule_id = rule.id
    try:
        scan(scope, rule_id, record_ids)
    except Exception as exc:  # noqa: BLE001 - any failure of one rule's scan, see above
        scope.session.rollback()
        log.exception("rule %s: scan after a record change failed", rule_id)
        message = getattr(exc, "message", None) or exc.__class__.__name__
        write_entry(scope, "rule", rule_id, "scan_failed", {"error": [None, str(message)]})
        scope.session.commit()
