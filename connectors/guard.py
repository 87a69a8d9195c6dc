"""Outbound addresses users type are checked here: no loopback, private, link-local or
other special ranges unless an administrator allowlisted them.

The check resolves the host name and looks at every address it gives, and the transport
connects to the very address that was checked (no second lookup), so a name that
resolves to a public address now and to 127.0.0.1 a moment later gets nowhere.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from connectors.errors import BlockedAddress


@dataclass(frozen=True)
class Allowlist:
    """Hosts, addresses and networks an administrator allows despite being private."""

    entries: tuple[str, ...] = field(default_factory=tuple)

    def allows(self, host: str, address: ipaddress._BaseAddress) -> bool:
        for entry in self.entries:
            if entry == host:
                return True
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        return False


def _is_public(address: ipaddress._BaseAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_url(url: str, allowlist: Allowlist) -> tuple[str, int, str]:
    """(host, port, address to connect to) for a URL allowed to be called."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BlockedAddress(
            "Only http and https URLs with a host can be called.",
            {"url": [f"'{url}' is not an http(s) URL."]},
        )
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname, port, check_host(parts.hostname, port, allowlist, "url")


def check_host(host: str, port: int, allowlist: Allowlist, field_name: str = "host") -> str:
    """The address to connect to for a host name allowed to be called (any protocol)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise BlockedAddress(
            f"The host '{host}' cannot be resolved.", {field_name: [str(exc)]}
        ) from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for address in addresses:
        if not _is_public(address) and not allowlist.allows(host, address):
            raise BlockedAddress(
                f"'{host}' resolves to {address}, a private or local address: an administrator "
                "must allowlist it before GreenShelf may call it.",
                {field_name: [f"{address} is not a public address."]},
            )
    return str(addresses[0])
