"""Inbound webhooks: an app's endpoints that other systems post signed JSON to.

Each hook maps the payload onto a form (upsert by key fields) and may start a flow on the
record. A call must carry ``X-GreenShelf-Timestamp`` (within five minutes),
``X-GreenShelf-Signature`` (HMAC-SHA256 of "<timestamp>.<body>" with the hook's secret,
the same scheme as outgoing webhooks) and ``X-GreenShelf-Delivery``: the first call with
a delivery id is processed, and a repeat gets the first answer back without doing
anything again. The secret is shown once, when the hook is made or rotated.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.auth.scope import Scope
from app.connectors.secrets import seal, unseal
from app.connectors.settings import Environment
from app.errors import (
    Conflict,
    Forbidden,
    GreenShelfError,
    NotFound,
    Unauthorized,
    ValidationError,
)
from app.flows.instances import start_instance
from app.integrations.upsert import Upsert, check_mapping, map_row
from app.models import App, FlowDefinition, Form, InboundHook, InboundReceipt, Tenant, User
from app.models.base import utcnow
from connectors.errors import ConnectorError
from connectors.webhook import verify

ACTIONS = ("upsert_record", "start_flow")
IN_PROGRESS = 102
#: a delivery still "in progress" after this long was left by a process that died
STALE = timedelta(minutes=10)


def path_of(tenant_slug: str, app_key: str, hook_key: str) -> str:
    return f"/api/v1/inbound/{tenant_slug}/{app_key}/{hook_key}"


def _check(scope: Scope, app: App, data: dict) -> None:
    form = scope.get(Form, data["form_id"], "form")
    if form.app_id != app.id:
        raise ValidationError("The form is not in this app.", {"form_id": ["Another app's."]})
    if data["action"] == "start_flow":
        if not data.get("flow_id"):
            raise ValidationError("Name the flow to start.", {"flow_id": ["Required."]})
        flow = scope.get(FlowDefinition, data["flow_id"], "flow")
        if flow.form_id != form.id:
            raise ValidationError(
                "The flow runs on another form.", {"flow_id": ["Not a flow of this form."]}
            )
    check_mapping(scope, form.id, data["mapping"], data.get("key_fields"))


def create_hook(scope: Scope, env: Environment, app_id: int, data: dict) -> tuple:
    """A new hook and its secret (the only time the secret is shown)."""
    app = scope.get(App, app_id, "app")
    taken = scope.session.scalar(
        scope.select(InboundHook).where(
            InboundHook.app_id == app.id, InboundHook.key == data["key"]
        )
    )
    if taken is not None:
        raise Conflict("This hook key is taken in the app.", {"key": ["Already in use."]})
    _check(scope, app, data)
    secret = "whsec_" + secrets.token_urlsafe(32)
    hook = scope.add(
        InboundHook(
            app_id=app.id,
            key=data["key"],
            label=data["label"],
            action=data["action"],
            form_id=data["form_id"],
            flow_id=data.get("flow_id") if data["action"] == "start_flow" else None,
            mapping=data["mapping"],
            key_fields=data.get("key_fields") or [],
            secret=seal(env.key, {"secret": secret}),
            actor_id=scope.user.id,
            enabled=data.get("enabled", True),
        )
    )
    scope.session.commit()
    return hook, secret


def update_hook(scope: Scope, hook_id: int, data: dict) -> InboundHook:
    hook = scope.get(InboundHook, hook_id, "inbound hook")
    merged = {
        "action": hook.action,
        "form_id": hook.form_id,
        "flow_id": hook.flow_id,
        "mapping": hook.mapping,
        "key_fields": hook.key_fields,
        **data,
    }
    _check(scope, scope.get(App, hook.app_id, "app"), merged)
    for name in ("label", "action", "form_id", "flow_id", "mapping", "key_fields", "enabled"):
        if name in data:
            setattr(hook, name, data[name])
    hook.actor_id = scope.user.id
    scope.session.commit()
    return hook


def rotate_secret(scope: Scope, env: Environment, hook_id: int) -> tuple:
    """A new secret; the old one stops working at once."""
    hook = scope.get(InboundHook, hook_id, "inbound hook")
    secret = "whsec_" + secrets.token_urlsafe(32)
    hook.secret = seal(env.key, {"secret": secret})
    scope.session.commit()
    return hook, secret


def _example(mapping: dict) -> dict:
    """A payload shaped as the mapping reads it (simple paths only), for the curl example."""
    example: dict = {}
    for field, source in mapping.items():
        if not isinstance(source, str) or not re.fullmatch(r"(\$(\.\w+)+|\w[\w.]*)", source):
            continue
        names = source[2:].split(".") if source.startswith("$") else [source]
        node = example
        for name in names[:-1]:
            node = node.setdefault(name, {})
            if not isinstance(node, dict):
                break
        else:
            node[names[-1]] = f"<{field}>"
    return example


def describe(scope: Scope, hook: InboundHook, base_url: str, secret: str | None = None) -> dict:
    """What IT needs to call the hook: the URL and a curl example that signs the body."""
    tenant = scope.session.get(Tenant, hook.tenant_id)
    app = scope.session.get(App, hook.app_id)
    url = base_url.rstrip("/") + path_of(tenant.slug, app.key, hook.key)
    body = json.dumps(_example(hook.mapping), ensure_ascii=False).replace("'", "")
    curl = (
        f"SECRET='{secret or '<the secret>'}'\n"
        f"BODY='{body}'\n"
        "TS=$(date +%s)\n"
        'SIG=sha256=$(printf \'%s.%s\' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" '
        "| sed 's/^.* //')\n"
        f"curl -X POST '{url}' -H 'Content-Type: application/json' "
        '-H "X-GreenShelf-Timestamp: $TS" -H "X-GreenShelf-Signature: $SIG" '
        '-H "X-GreenShelf-Delivery: $(openssl rand -hex 16)" --data "$BODY"'
    )
    return {"url": url, "curl": curl, **({"secret": secret} if secret else {})}


def _hook(session: Session, tenant_slug: str, app_key: str, hook_key: str) -> InboundHook:
    hook = session.scalar(
        select(InboundHook.id)
        .join(Tenant, Tenant.id == InboundHook.tenant_id)
        .join(App, App.id == InboundHook.app_id)
        .where(
            Tenant.slug == tenant_slug,
            App.key == app_key,
            InboundHook.key == hook_key,
            InboundHook.enabled.is_(True),
            InboundHook.deleted_at.is_(None),
        )
    )
    if hook is None:
        raise NotFound("No such inbound hook.")
    return session.get(InboundHook, hook)


def _claim(session: Session, hook: InboundHook, delivery_id: str) -> InboundReceipt | None:
    """None for the first caller with this delivery id; else the receipt already there."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    inserted = session.execute(
        dialect.insert(InboundReceipt.__table__)
        .values(
            tenant_id=hook.tenant_id,
            hook_id=hook.id,
            delivery_id=delivery_id,
            status=IN_PROGRESS,
            result={},
            received_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["hook_id", "delivery_id"])
        .returning(InboundReceipt.__table__.c.id)
    ).scalar()
    session.commit()
    if inserted is not None:
        return None
    return _receipt(session, hook, delivery_id)


def _receipt(session: Session, hook: InboundHook, delivery_id: str) -> InboundReceipt:
    return session.scalar(
        select(InboundReceipt).where(
            InboundReceipt.hook_id == hook.id, InboundReceipt.delivery_id == delivery_id
        )
    )


def _perform(scope: Scope, hook: InboundHook, payload: dict) -> dict:
    outcome, record = Upsert(scope, hook.form_id, hook.key_fields, f"inbound_hook:{hook.id}").put(
        map_row(payload, hook.mapping)
    )
    result = {"outcome": outcome, "record_id": record["id"]}
    if hook.action == "start_flow":
        result["instance_id"] = start_instance(scope, hook.flow_id, record["id"]).id
    return result


def receive(
    session: Session,
    env: Environment,
    where: tuple[str, str, str],
    headers: dict,
    body: bytes,
    now: float | None = None,
) -> tuple[int, dict, bool]:
    """(HTTP status, answer, whether it is a repeat) for one signed call."""
    hook = _hook(session, *where)
    secret = unseal(env.key, hook.secret)["secret"]
    try:
        verify(
            secret,
            headers.get("X-GreenShelf-Timestamp"),
            body,
            headers.get("X-GreenShelf-Signature"),
            now=time.time() if now is None else now,
        )
    except ConnectorError as exc:
        raise Unauthorized(exc.message, code="bad_signature") from None
    delivery_id = (headers.get("X-GreenShelf-Delivery") or "").strip()
    if not delivery_id or len(delivery_id) > 128:
        raise ValidationError(
            "Send a delivery id (up to 128 characters) in X-GreenShelf-Delivery.",
            {"X-GreenShelf-Delivery": ["Required."]},
        )
    first = _claim(session, hook, delivery_id)
    if first is not None and first.status == IN_PROGRESS and first.received_at < utcnow() - STALE:
        _release(session, hook, delivery_id)  # its process died half-way: try again
        first = _claim(session, hook, delivery_id)
    if first is not None:
        if first.status == IN_PROGRESS:
            raise Conflict("This delivery is being processed.", code="delivery_in_progress")
        return first.status, first.result, True
    try:
        payload = json.loads(body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError
    except (UnicodeDecodeError, ValueError):
        status, answer = 400, {"code": "bad_request", "message": "The body is not a JSON object."}
    else:
        actor = session.get(User, hook.actor_id)
        try:
            if actor is None or not actor.is_active or actor.deleted_at is not None:
                raise Forbidden(
                    "The person who set up this hook is no longer active: "
                    "an administrator must save the hook again.",
                    code="hook_owner_inactive",
                )
            status, answer = 200, _perform(Scope(session, hook.tenant_id, actor), hook, payload)
        except GreenShelfError as exc:
            session.rollback()
            if exc.status >= 500:
                _release(session, hook, delivery_id)
                raise
            status = exc.status
            answer = {"code": exc.code, "message": exc.message, "errors": exc.errors}
        except Exception:
            session.rollback()
            _release(session, hook, delivery_id)
            raise
    receipt = _receipt(session, hook, delivery_id)
    receipt.status, receipt.result = status, answer
    session.commit()
    return status, answer, False


def _release(session: Session, hook: InboundHook, delivery_id: str) -> None:
    """Let a retry of a delivery that failed on our side be processed again."""
    session.execute(
        delete(InboundReceipt).where(
            InboundReceipt.hook_id == hook.id, InboundReceipt.delivery_id == delivery_id
        )
    )
    session.commit()
