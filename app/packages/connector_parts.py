"""Connectors in a package: those the app's rules and flows name, without their secrets.

Exported with their type, label and plain settings, each secret setting as null. Imported
switched off (someone must enter the secrets first); a connector of the same key already
in the tenant is kept as it is, never overwritten.
"""

from __future__ import annotations

from app.auth.scope import Scope
from app.connectors.settings import SYSTEM_EMAIL, create_without_secrets
from app.models import Connector
from app.packages.report import Report
from app.rules.definition import each_action
from connectors import REGISTRY


def rule_connector_keys(definitions: list[dict]) -> set[str]:
    """The robots and SMS connectors the rules' actions send through."""
    return {
        action[name]
        for definition in definitions
        if isinstance(definition, dict)
        for _level, _index, action in each_action(definition)
        for name in ("connector", "sms_connector")
        if isinstance(action.get(name), str)
    }


def export_connectors(scope: Scope, keys: set[str]) -> list[dict]:
    keys = keys - {SYSTEM_EMAIL}
    if not keys:
        return []
    found = scope.session.scalars(
        scope.select(Connector)
        .where(Connector.key.in_(keys), Connector.deleted_at.is_(None))
        .order_by(Connector.key)
    )
    entries = []
    for connector in found:
        kind = REGISTRY.get(connector.type)
        secrets = kind.secret_fields if kind else ()
        entries.append(
            {
                "key": connector.key,
                "type": connector.type,
                "label": connector.label,
                "config": {**connector.config, **dict.fromkeys(secrets)},
            }
        )
    return entries


def install_connectors(scope: Scope, entries: list[dict], report: Report) -> None:
    """Create the missing connectors switched off, their secrets left to enter."""
    for index, entry in enumerate(entries):
        summary = {"key": entry["key"], "label": entry["label"], "type": entry["type"]}
        present = scope.session.scalar(
            scope.select(Connector).where(
                Connector.key == entry["key"], Connector.deleted_at.is_(None)
            )
        )
        if present is not None or entry["key"] == SYSTEM_EMAIL:
            report.keep["connectors"].append(summary)
            continue
        with report.attempt(scope, f"connectors.{index}"):
            create_without_secrets(scope, entry)
            kind = REGISTRY[entry["type"]]
            report.create["connectors"].append(
                {**summary, "enabled": False, "secrets": list(kind.secret_fields)}
            )
