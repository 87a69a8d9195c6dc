"""The REST API: one blueprint per resource under /api/v1, documented at /api/docs."""

from __future__ import annotations

from flask import Flask, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from app.api import (
    apps,
    attachments,
    audit,
    auth_routes,
    connectors,
    dashboards,
    departments,
    flow_admin,
    flow_toolset,
    flow_versions,
    flows,
    inbound,
    outbound,
    records,
    roles,
    rules,
    spreadsheets,
    system,
    templates,
    todos,
    tokens,
    users,
)
from app.api.errors import register_error_handlers
from app.extensions import api

BLUEPRINTS = (
    auth_routes,
    users,
    departments,
    roles,
    tokens,
    audit,
    system,
    apps,
    templates,
    records,
    spreadsheets,
    attachments,
    rules,
    todos,
    dashboards,
    connectors,
    inbound,
    outbound,
    flows,
    flow_toolset,
    flow_admin,
    flow_versions,
)


def register_api(app: Flask) -> None:
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "A personal API token"}
    )
    for module in BLUEPRINTS:
        api.register_blueprint(module.blp)
    register_error_handlers(app)

    @app.get("/api/docs-assets/<path:filename>")
    def swagger_assets(filename: str):
        return send_from_directory(swagger_ui_path, filename)
