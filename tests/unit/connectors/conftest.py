from __future__ import annotations

import pytest

from connectors.base import Context, TokenCache
from connectors.guard import Allowlist
from connectors.transport import Transport
from tests.unit.connectors.peers import Peer


@pytest.fixture
def peer():
    server = Peer()
    yield server
    server.close()


class Clock:
    def __init__(self, now: float = 1_790_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def context(clock):
    """Loopback is allowlisted for the test peers, as an administrator would do."""
    transport = Transport(allowlist=Allowlist(("127.0.0.1/32",)), timeout=5)
    return Context(transport=transport, tokens=TokenCache(clock=clock), clock=clock)
