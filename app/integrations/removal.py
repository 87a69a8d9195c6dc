"""Deleting connectors, inbound hooks and ERP syncs without losing their history.

The delivery log, the inbound receipts and the sync run log point at these rows, so a
deleted one stays: ``deleted_at`` hides it (``Scope.get`` answers "not found"), it is
switched off, and its key is renamed so that a new one may take the key and nothing that
looks it up by key (rule actions, flow service tasks, the inbound URL) finds it. A
connector that a rule, a deployed flow or a sync still names is refused with what names
it, and so is the built-in system email connector, which rules and flows send their
emails through. This module reads rules and flows; it never changes them.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import or_, select

from app.auth.scope import Scope
from app.connectors.retired_keys import kept_key, renamed
from app.connectors.settings import is_system_email
from app.errors import Conflict
from app.models import (
    Connector,
    ConnectorSync,
    FlowDefinition,
    FlowInstance,
    FlowVersion,
    InboundHook,
    Rule,
    RuleVersion,
)
from app.models.base import utcnow
from app.rules.definition import each_action
from app.rules.rules import ARCHIVED

#: a flow version is in use while it is the latest or an instance still runs on it
LIVE_INSTANCES = ("running", "incident")


def _retire(row: Connector | InboundHook | ConnectorSync) -> None:
    row.enabled, row.deleted_at, row.deleted_key = False, utcnow(), row.key
    row.key = renamed(row.id, row.key)


def original_key(row: Connector | InboundHook | ConnectorSync) -> tuple[str, bool]:
    """The key a row had before it was deleted, and whether it is whole (``kept_key``)."""
    return kept_key(row.key, row.deleted_key, row.deleted_at is not None)


def _rule_names(definition: dict | None, key: str) -> bool:
    for _, _, action in each_action(definition if isinstance(definition, dict) else {}):
        if action.get("connector") == key or action.get("sms_connector") == key:
            return True
    return False


def _rules_naming(scope: Scope, key: str) -> Iterator[dict]:
    rules = scope.session.scalars(
        scope.select(Rule).where(~Rule.key.startswith(ARCHIVED, autoescape=True)).order_by(Rule.id)
    )
    for rule in rules:
        published = None
        if rule.published_version is not None:
            published = scope.session.scalar(
                scope.select(RuleVersion, RuleVersion.definition).where(
                    RuleVersion.rule_id == rule.id, RuleVersion.version == rule.published_version
                )
            )
        if _rule_names(rule.draft, key) or _rule_names(published, key):
            yield {"type": "rule", "id": rule.id, "key": rule.key}


def _flows_naming(scope: Scope, key: str) -> Iterator[dict]:
    running = select(FlowInstance.version_id).where(
        FlowInstance.tenant_id == scope.tenant_id, FlowInstance.status.in_(LIVE_INSTANCES)
    )
    rows = scope.session.execute(
        scope.select(FlowVersion, FlowDefinition.id, FlowDefinition.key, FlowVersion.nodes)
        .join(FlowDefinition, FlowDefinition.id == FlowVersion.definition_id)
        .where(
            or_(
                FlowVersion.version == FlowDefinition.latest_version,
                FlowVersion.id.in_(running),
            )
        )
        .order_by(FlowDefinition.id, FlowVersion.version)
    )
    seen: set[int] = set()
    for flow_id, flow_key, nodes in rows:
        if flow_id in seen:
            continue
        for node in (nodes or {}).values():
            if not isinstance(node, dict) or node.get("action") != "connector.call":
                continue
            if (node.get("inputs") or {}).get("connector") == key:
                seen.add(flow_id)
                yield {"type": "flow", "id": flow_id, "key": flow_key}
                break


def connector_uses(scope: Scope, connector: Connector) -> list[dict]:
    """What still names the connector: live rules, deployed flows (and versions that
    instances still run on) and syncs, each as {type, id, key}."""
    syncs = scope.session.scalars(
        scope.select(ConnectorSync)
        .where(ConnectorSync.connector_id == connector.id, ConnectorSync.deleted_at.is_(None))
        .order_by(ConnectorSync.id)
    )
    return [
        *_rules_naming(scope, connector.key),
        *_flows_naming(scope, connector.key),
        *({"type": "sync", "id": s.id, "key": s.key} for s in syncs),
    ]


def delete_connector(scope: Scope, connector_id: int) -> None:
    """Delete a connector nothing uses any more; its deliveries stay in the log."""
    connector = scope.get(Connector, connector_id, "connector")
    if is_system_email(connector):
        raise Conflict(
            "The system email connector is built in: rules and flows send their emails "
            "through it, so it cannot be deleted. Switch it off to stop those emails.",
            code="system_connector",
        )
    uses = connector_uses(scope, connector)
    if uses:
        names = ", ".join(f"the {u['type']} '{u['key']}'" for u in uses)
        raise Conflict(
            f"The connector '{connector.key}' is in use by {names}. Remove it from there first.",
            code="connector_in_use",
            details={"used_by": uses},
        )
    _retire(connector)
    scope.session.commit()


def delete_hook(scope: Scope, hook_id: int) -> None:
    """Delete an inbound hook: its URL stops answering; its receipts stay."""
    _retire(scope.get(InboundHook, hook_id, "inbound hook"))
    scope.session.commit()


def delete_sync(scope: Scope, sync_id: int) -> None:
    """Delete an ERP sync: it no longer runs; its run log stays."""
    _retire(scope.get(ConnectorSync, sync_id, "sync"))
    scope.session.commit()
