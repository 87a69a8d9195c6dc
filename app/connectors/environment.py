"""The installation's connector environment, read from the Flask config at each use (so a
changed setting, such as the mail server, applies to the next attempt)."""

from __future__ import annotations

from flask import Flask

from app.connectors.secrets import load_key
from app.connectors.settings import Environment
from connectors.guard import Allowlist


def environment(app: Flask) -> Environment:
    config = app.config
    entries = tuple(e.strip() for e in config["GS_OUTBOUND_ALLOWLIST"].split(",") if e.strip())
    return Environment(
        key=load_key(config["INSTANCE_PATH"], config["GS_SECRETS_KEY"]),
        allowlist=Allowlist(entries),
        lease_seconds=config["GS_DELIVERY_LEASE_SECONDS"],
        instance_path=config["INSTANCE_PATH"],
        smtp=smtp_settings(config),
    )


def smtp_settings(config) -> dict:
    """The installation's mail server (GS_SMTP_*) as the settings of an email connector."""
    settings = {
        "host": config["GS_SMTP_HOST"],
        "port": int(config["GS_SMTP_PORT"]),
        "security": config["GS_SMTP_SECURITY"],
        "username": config["GS_SMTP_USER"],
        "password": config["GS_SMTP_PASSWORD"],
        "sender": config["GS_SMTP_FROM"],
    }
    return {name: value for name, value in settings.items() if value}
