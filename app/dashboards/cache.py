"""Where computed chart results are kept for a while: Redis when ``REDIS_URL`` is set (shared
by every web process), otherwise a small in-process LRU.

A result is stored under a key made of everything it depends on (the definition, the
filters, the viewer's data scope, the language, today, and the data generations of the
forms and rules it reads: see ``app.dashboards.data``), for ``GS_DASHBOARD_CACHE_SECONDS``.
A change to the data moves a generation, so the next request computes afresh; the time
limit only bounds what nothing announces (a renamed person, a new day). A store that
fails is a cache miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import OrderedDict
from threading import Lock
from typing import Any, Protocol

from flask import Flask

log = logging.getLogger(__name__)
PREFIX = "gs:chart:"
#: results the in-process store keeps at most (the least recently used go first)
MEMORY_ENTRIES = 512
_EXTENSION = "gs_dashboard_cache"


class Store(Protocol):
    seconds: int
    #: what tells this installation's (and database's) results from others in a shared Redis
    namespace: str

    def get(self, key: str) -> dict | None: ...

    def put(self, key: str, value: dict) -> None: ...


def result_key(parts: dict[str, Any]) -> str:
    """A short key for the JSON-ready ``parts`` (the same parts give the same key)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return PREFIX + hashlib.sha256(text.encode()).hexdigest()


class MemoryStore:
    """An LRU of results with an expiry, for one process."""

    def __init__(self, seconds: int, entries: int = MEMORY_ENTRIES) -> None:
        self.seconds = seconds
        self.namespace = ""
        self.entries = entries
        self._items: OrderedDict[str, tuple[float, dict]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if found[0] <= time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return found[1]

    def put(self, key: str, value: dict) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            self._items[key] = (time.monotonic() + self.seconds, value)
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


class RedisStore:
    """Results as JSON in Redis, expiring on their own."""

    def __init__(self, url: str, seconds: int, namespace: str) -> None:
        import redis

        self.seconds = seconds
        self.namespace = namespace
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def get(self, key: str) -> dict | None:
        try:
            raw = self.client.get(self.namespace + key)
        except Exception:  # noqa: BLE001 - a cache that is away is a miss
            log.warning("chart cache unavailable", exc_info=True)
            return None
        return json.loads(raw) if raw else None

    def put(self, key: str, value: dict) -> None:
        if self.seconds <= 0:
            return
        try:
            self.client.set(self.namespace + key, json.dumps(value), ex=self.seconds)
        except Exception:  # noqa: BLE001 - the result was computed; it is just not kept
            log.warning("chart cache unavailable", exc_info=True)


def store_for(app: Flask) -> Store:
    """The application's result store, made on first use from its configuration."""
    store = app.extensions.get(_EXTENSION)
    if store is None:
        seconds = int(app.config.get("GS_DASHBOARD_CACHE_SECONDS", 60))
        url = app.config.get("REDIS_URL")
        database = str(app.config.get("SQLALCHEMY_DATABASE_URI", ""))
        namespace = hashlib.sha256(database.encode()).hexdigest()[:12] + ":"
        store = RedisStore(url, seconds, namespace) if url else MemoryStore(seconds)
        app.extensions[_EXTENSION] = store
    return store
