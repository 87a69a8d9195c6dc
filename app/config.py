"""Configuration read from environment variables, with embedded defaults.

Nothing here touches the database or the network: it only decides values.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _instance_secret(instance: Path) -> str:
    """A per-installation secret kept in the instance folder, made on first use."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(overrides: dict | None = None) -> dict:
    """Build the Flask config mapping from the environment plus ``overrides``."""
    env = os.environ
    overrides = overrides or {}
    instance = Path(
        overrides.get("INSTANCE_PATH") or env.get("GS_INSTANCE_PATH") or ROOT / "instance"
    )
    instance.mkdir(parents=True, exist_ok=True)
    database_url = (
        overrides.get("DATABASE_URL")
        or env.get("DATABASE_URL")
        or (f"sqlite:///{instance / 'greenshelf.sqlite'}")
    )
    redis_url = overrides.get("REDIS_URL", env.get("REDIS_URL") or None)
    production = _bool(env.get("GS_PRODUCTION"))
    config = {
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": env.get("CELERY_BROKER_URL")
        or redis_url
        or f"sqla+sqlite:///{instance / 'broker.sqlite'}",
        "CELERY_RESULT_BACKEND": env.get("CELERY_RESULT_BACKEND")
        or redis_url
        or f"db+sqlite:///{instance / 'celery-results.sqlite'}",
        "SECRET_KEY": env.get("SECRET_KEY") or _instance_secret(instance),
        "GS_PRODUCTION": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("GS_SECURE_COOKIES"), production),
        "REMEMBER_COOKIE_SECURE": _bool(env.get("GS_SECURE_COOKIES"), production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": int(env.get("GS_MAX_BODY_BYTES", 16 * 1024 * 1024)),
        "GS_LOGIN_MAX_FAILURES": int(env.get("GS_LOGIN_MAX_FAILURES", 5)),
        "GS_LOGIN_LOCK_MINUTES": int(env.get("GS_LOGIN_LOCK_MINUTES", 15)),
        "GS_WORKER_STALE_SECONDS": int(env.get("GS_WORKER_STALE_SECONDS", 180)),
        "GS_FRONTEND_DIST": env.get("GS_FRONTEND_DIST") or str(ROOT / "frontend" / "dist"),
        "API_TITLE": "GreenShelf API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        "OPENAPI_SWAGGER_UI_URL": "/api/docs-assets/",
        "CELERY_TASK_ALWAYS_EAGER": False,
        "GS_SECRETS_KEY": env.get("GS_SECRETS_KEY") or None,
        "GS_OUTBOUND_ALLOWLIST": env.get("GS_OUTBOUND_ALLOWLIST", ""),
        "GS_DELIVERY_LEASE_SECONDS": int(env.get("GS_DELIVERY_LEASE_SECONDS", 60)),
        "GS_FLOW_SWEEP_SECONDS": float(env.get("GS_FLOW_SWEEP_SECONDS", 5)),
        "GS_FLOW_LEASE_SECONDS": int(env.get("GS_FLOW_LEASE_SECONDS", 60)),
        "GS_DASHBOARD_CACHE_SECONDS": int(env.get("GS_DASHBOARD_CACHE_SECONDS", 60)),
        "GS_SMTP_HOST": env.get("GS_SMTP_HOST", "127.0.0.1"),
        "GS_SMTP_PORT": int(env.get("GS_SMTP_PORT", 25)),
        "GS_SMTP_SECURITY": env.get("GS_SMTP_SECURITY", "none"),
        "GS_SMTP_USER": env.get("GS_SMTP_USER") or None,
        "GS_SMTP_PASSWORD": env.get("GS_SMTP_PASSWORD") or None,
        "GS_SMTP_FROM": env.get("GS_SMTP_FROM", "greenshelf@localhost"),
        # False for a second app in one process (a scratch database, a one-off tool): its
        # Celery app then does not become the one tasks are queued on.
        "GS_CELERY_CURRENT": True,
    }
    config.update(overrides)
    return config
