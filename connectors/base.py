"""The connector type registry: config schema, secret fields, actions, test connection.

A connector type is a small class; the platform stores a connector's config (secrets
encrypted by the app), validates it against ``config_schema``, and calls ``run(action,
inputs)``. Types are plain Python with no Flask: they get a ``Context`` with the HTTP
transport (SSRF-guarded) and a token cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from jsonschema import Draft202012Validator

from connectors.errors import ConnectorError
from connectors.transport import Transport
from engine_errors import ValidationError


@dataclass
class TokenCache:
    """Access tokens kept until shortly before they expire."""

    clock: Callable[[], float] = time.time
    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        token = self.tokens.get(key)
        return token[0] if token and token[1] > self.clock() else None

    def put(self, key: str, token: str, expires_in: float) -> None:
        self.tokens[key] = (token, self.clock() + max(expires_in - 120, 0))

    def drop(self, key: str) -> None:
        self.tokens.pop(key, None)


@dataclass
class TokenScope:
    """One connector's share of a token cache kept for the whole process, so a token or
    session outlives a single delivery; the prefix keeps connectors (and tenants) apart."""

    cache: TokenCache
    prefix: str

    def get(self, key: str) -> str | None:
        return self.cache.get(f"{self.prefix}|{key}")

    def put(self, key: str, token: str, expires_in: float) -> None:
        self.cache.put(f"{self.prefix}|{key}", token, expires_in)

    def drop(self, key: str) -> None:
        self.cache.drop(f"{self.prefix}|{key}")


@dataclass
class Context:
    transport: Transport = field(default_factory=Transport)
    tokens: TokenCache | TokenScope = field(default_factory=TokenCache)
    clock: Callable[[], float] = time.time
    #: reads an uploaded file of the connector's tenant: id -> (name, content type, bytes)
    attachments: Callable[[int], tuple[str, str, bytes]] | None = None


class ConnectorType:
    name: ClassVar[str]
    label: ClassVar[dict[str, str]]
    config_schema: ClassVar[dict]
    secret_fields: ClassVar[tuple[str, ...]] = ()
    actions: ClassVar[dict[str, dict]] = {}

    def __init__(self, config: dict, context: Context | None = None) -> None:
        self.config = config
        self.context = context or Context()

    @classmethod
    def validate_config(cls, config: Any) -> dict:
        problems: dict[str, list[str]] = {}
        for error in Draft202012Validator(cls.config_schema).iter_errors(config):
            path = ".".join(str(p) for p in error.absolute_path) or "_body"
            problems.setdefault(path, []).append(error.message)
        if problems:
            raise ValidationError("The connector settings are not valid.", problems)
        return config

    def run(self, action: str, inputs: dict) -> dict:
        if action not in self.actions:
            raise ValidationError(
                f"'{self.name}' has no action '{action}'.",
                {"action": [f"One of {sorted(self.actions)}."]},
            )
        schema = self.actions[action]
        problems = {
            ".".join(str(p) for p in e.absolute_path) or "_body": [e.message]
            for e in Draft202012Validator(schema).iter_errors(inputs)
        }
        if problems:
            raise ValidationError("The action's inputs are not valid.", problems)
        return getattr(self, f"do_{action}")(**inputs)

    def test_connection(self) -> dict:
        """Prove the settings work without side effects where the protocol allows."""
        raise NotImplementedError


REGISTRY: dict[str, type[ConnectorType]] = {}


def register(cls: type[ConnectorType]) -> type[ConnectorType]:
    REGISTRY[cls.name] = cls
    return cls


def connector(name: str, config: dict, context: Context | None = None) -> ConnectorType:
    if name not in REGISTRY:
        raise ValidationError(
            f"Unknown connector type '{name}'.", {"type": [f"One of {sorted(REGISTRY)}."]}
        )
    cls = REGISTRY[name]
    return cls(cls.validate_config(config), context)


def check_errcode(body: dict, what: str, token_errors: frozenset[int] = frozenset()) -> dict:
    """DingTalk and WeCom answer 200 with errcode; 0 is success."""
    code = body.get("errcode", 0)
    if code in (0, "0"):
        return body
    raise ConnectorError(
        f"{what} refused: {code} {body.get('errmsg', '')}".strip(),
        retryable=code in token_errors or code in {-1, 130101, 45009},
    )
