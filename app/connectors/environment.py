"""The installation's connector environment, read from the Flask config."""

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
    )
