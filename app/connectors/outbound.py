"""A tenant's outbound allow-list: the private hosts and networks its connectors may call.

Connectors refuse loopback, private and link-local addresses (``connectors.guard``) unless
allowed: by the installation (GS_OUTBOUND_ALLOWLIST, read by ``environment``) or by the
tenant's administrator here. Entries are checked and normalised before they are stored; this
module never calls out and never widens the installation's own list.
"""

from __future__ import annotations

import ipaddress
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.scope import Scope
from app.errors import ValidationError
from app.models import OutboundAllowEntry

_HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
_NOT_A_HOST = "Write a host name, an IP address or a network such as 10.0.0.0/24."


def normalised(entry: str) -> tuple[str | None, str | None]:
    """(the entry as stored, None) or (None, why it cannot be allowed)."""
    text = entry.strip().lower().rstrip(".")
    if not text:
        return None, "Missing data for required field."
    if "://" in text or any(c in text for c in "?#@ \t"):
        return None, "Write the host alone, without http://, a port or a path."
    if "/" in text:
        try:
            network = ipaddress.ip_network(text, strict=True)
        except ValueError:
            try:
                loose = ipaddress.ip_network(text, strict=False)
            except ValueError:
                return None, _NOT_A_HOST
            return None, f"Host bits are set: did you mean {loose}?"
        if network.prefixlen == 0:
            return None, "This would allow every address."
        return str(network), None
    try:
        return str(ipaddress.ip_address(text)), None
    except ValueError:
        pass
    if not _HOST.match(text):
        if ":" in text:
            return None, "Write the host alone, without http://, a port or a path."
        return None, _NOT_A_HOST
    return text, None


def list_entries(scope: Scope) -> list[OutboundAllowEntry]:
    """The tenant's allowed hosts and networks, in the order they were added."""
    stmt = scope.select(OutboundAllowEntry).order_by(OutboundAllowEntry.id)
    return list(scope.session.scalars(stmt))


def replace_entries(scope: Scope, rows: list[dict]) -> list[OutboundAllowEntry]:
    """Save the whole list as the administrator edited it; refused whole, with the path of
    each bad row, when any row cannot be allowed."""
    wanted: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        entry, problem = normalised(row["entry"])
        if entry in wanted:
            problem = "Listed twice."
        if problem:
            problems[f"entries.{index}.entry"] = [problem]
            continue
        wanted[entry] = row.get("note", "").strip()
    if problems:
        raise ValidationError("Some entries cannot be allowed.", problems)
    current = {e.entry: e for e in list_entries(scope)}
    for entry, row in current.items():
        if entry not in wanted:
            scope.session.delete(row)
    for entry, note in wanted.items():
        if entry in current:
            current[entry].note = note
        else:
            scope.add(OutboundAllowEntry(entry=entry, note=note))
    scope.session.commit()
    return list_entries(scope)


def tenant_entries(session: Session, tenant_id: int) -> tuple[str, ...]:
    """What the tenant allows, for the connectors' guard."""
    stmt = select(OutboundAllowEntry.entry).where(OutboundAllowEntry.tenant_id == tenant_id)
    return tuple(session.scalars(stmt))
