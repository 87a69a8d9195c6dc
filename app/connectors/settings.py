"""Use cases on connectors: create and edit (secrets sealed, never shown again), and the
settings a connector runs with: its own, or for the built-in system email connector the
installation's mail server."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from jsonschema import Draft202012Validator
from sqlalchemy.orm import Session

from app.auth.scope import Scope
from app.connectors.outbound import tenant_entries
from app.connectors.secrets import seal, unseal
from app.errors import Conflict, NotFound, ValidationError
from app.forms.attachments import open_attachment
from app.keys import make_key
from app.models import Connector
from connectors import REGISTRY, Context
from connectors.base import ConnectorType, TokenCache, TokenScope
from connectors.errors import ConnectorError
from connectors.guard import Allowlist
from connectors.transport import Transport

MASK = "********"
#: the key of each tenant's built-in email connector (``app.connectors.system_email``)
SYSTEM_EMAIL = "system_email"


@dataclass(frozen=True)
class Environment:
    """What the installation decides: the secrets key and the outbound allowlist."""

    key: bytes
    allowlist: Allowlist
    #: how long a worker may hold a delivery before another may take it over
    lease_seconds: int = 60
    #: the instance folder, where uploaded files are kept
    instance_path: str | None = None
    #: the installation's mail server (GS_SMTP_*) as email connector settings: what the
    #: system email connector sends through, read at each attempt, never stored in its row
    smtp: dict = field(default_factory=dict)

    def context(
        self,
        session: Session | None = None,
        tenant_id: int | None = None,
        tokens: TokenScope | None = None,
    ) -> Context:
        """A connector's context; with a session and tenant it may read the tenant's files
        and call the private hosts the tenant's administrator allowed."""
        attachments = None
        allowlist = self.allowlist
        if session is not None and tenant_id is not None:
            allowlist = Allowlist((*allowlist.entries, *tenant_entries(session, tenant_id)))
            if self.instance_path:
                attachments = _file_reader(Scope(session, tenant_id), self.instance_path)
        return Context(
            transport=Transport(allowlist=allowlist),
            tokens=tokens or TokenCache(),
            attachments=attachments,
        )


#: access tokens and ERP sessions, kept between deliveries in this process
TOKENS = TokenCache()


def _file_reader(scope: Scope, instance_path: str):
    def read(attachment_id: int) -> tuple[str, str, bytes]:
        try:
            attachment, path = open_attachment(scope, attachment_id, instance_path)
            return attachment.name, attachment.content_type, path.read_bytes()
        except (NotFound, OSError) as exc:
            raise ConnectorError(
                f"File {attachment_id} cannot be read: {exc}", retryable=False
            ) from None

    return read


def _split(kind: type[ConnectorType], config: dict, old_secrets: dict) -> tuple[dict, dict]:
    """Plain settings and secrets; a masked or missing secret keeps the stored one."""
    plain, secret = {}, dict(old_secrets)
    for name, value in config.items():
        if name in kind.secret_fields:
            if value not in (None, "", MASK):
                secret[name] = value
        else:
            plain[name] = value
    return plain, secret


def _type(name: str) -> type[ConnectorType]:
    if name not in REGISTRY:
        raise ValidationError("Unknown connector type.", {"type": [f"One of {sorted(REGISTRY)}."]})
    return REGISTRY[name]


def is_system_email(connector: Connector) -> bool:
    """Whether this is the tenant's built-in system email connector."""
    return connector.key == SYSTEM_EMAIL and connector.type == "email"


def public_config(connector: Connector) -> dict:
    kind = _type(connector.type)
    return {**connector.config, **{name: MASK for name in kind.secret_fields if connector.secrets}}


def _claim_key(scope: Scope, key: str) -> None:
    """Refuse a key another connector has, or the system email connector's."""
    if key == SYSTEM_EMAIL:
        raise Conflict(
            "This connector key is reserved for the system email connector.",
            {"key": ["Reserved."]},
            code="key_reserved",
        )
    if scope.session.scalar(scope.select(Connector).where(Connector.key == key)):
        raise Conflict("This connector key is taken.", {"key": ["Already in use."]})


def _free_key(scope: Scope, label: object, language: str) -> str:
    """A key made from the label, past every connector's key and a deleted one's own."""
    rows = scope.session.execute(scope.select(Connector, Connector.key, Connector.deleted_key))
    taken = {SYSTEM_EMAIL, *(k for row in rows for k in row if k)}
    return make_key(label, taken, language=language, fallback="connector")


def create_connector(scope: Scope, env: Environment, data: dict, language: str = "zh") -> Connector:
    """Create a connector; without a key, one is made from its label (``app.keys``)."""
    kind = _type(data["type"])
    key = data.get("key") or _free_key(scope, data["label"], language)
    _claim_key(scope, key)
    kind.validate_config(data["config"])
    plain, secret = _split(kind, data["config"], {})
    connector = scope.add(
        Connector(
            key=key,
            type=data["type"],
            label=data["label"],
            config=plain,
            secrets=seal(env.key, secret),
        )
    )
    scope.session.commit()
    return connector


def create_without_secrets(scope: Scope, data: dict) -> Connector:
    """A connector brought by an app package: its settings without the secrets, switched
    off until someone enters them. The settings are checked as any, the secrets aside."""
    kind = _type(data["type"])
    _claim_key(scope, data["key"])
    plain = {k: v for k, v in data["config"].items() if k not in kind.secret_fields}
    problems: dict[str, list[str]] = {}
    for error in Draft202012Validator(kind.config_schema).iter_errors(plain):
        if error.validator == "required" and error.message.split("'")[1] in kind.secret_fields:
            continue
        path = ".".join(str(p) for p in error.absolute_path) or "_body"
        problems.setdefault(path, []).append(error.message)
    if problems:
        raise ValidationError("The connector settings are not valid.", problems)
    connector = scope.add(
        Connector(
            key=data["key"], type=data["type"], label=data["label"], config=plain, enabled=False
        )
    )
    scope.session.commit()
    return connector


def update_connector(scope: Scope, env: Environment, connector_id: int, data: dict) -> Connector:
    connector = scope.get(Connector, connector_id, "connector")
    kind = _type(connector.type)
    if "config" in data and is_system_email(connector):
        raise Conflict(
            "The system email connector sends through the installation's mail server "
            "(the GS_SMTP_* settings): its settings cannot be changed here.",
            code="system_connector",
        )
    if "config" in data:
        plain, secret = _split(kind, data["config"], unseal(env.key, connector.secrets))
        kind.validate_config({**plain, **secret})
        connector.config, connector.secrets = plain, seal(env.key, secret)
    for key in ("label", "enabled"):
        if key in data:
            setattr(connector, key, data[key])
    scope.session.commit()
    return connector


def instance(
    env: Environment, connector: Connector, session: Session | None = None
) -> ConnectorType:
    kind = _type(connector.type)
    # a changed connector (new secret, other server) starts with no cached token
    tokens = TokenScope(TOKENS, f"{connector.id}@{connector.updated_at.isoformat()}")
    if is_system_email(connector):
        # the installation's own mail server, named by its administrator, not typed by a
        # user: allowed although it is usually private or local
        trusted = Allowlist((*env.allowlist.entries, env.smtp.get("host", "")))
        context = replace(env, allowlist=trusted).context(session, connector.tenant_id, tokens)
        return kind(dict(env.smtp), context)
    context = env.context(session, connector.tenant_id, tokens)
    return kind({**connector.config, **unseal(env.key, connector.secrets)}, context)
