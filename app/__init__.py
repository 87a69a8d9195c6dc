"""GreenShelf: the Flask application that composes the engines.

``create_app`` reads the configuration, binds the extensions and registers the API,
the web pages, the CLI and the Celery app. Nothing else of substance lives here.
"""

from __future__ import annotations

from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSession

from app import cli, web, wiring
from app.api import register_api
from app.api.compression import install_compression
from app.api.context import install_auth
from app.api.text_guard import install_text_guard
from app.config import load_config
from app.database import init_database
from app.extensions import AppSession, db, migrate
from app.flows import task_notices
from app.tasks.celery_app import init_celery


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    # answers keep the order they are built in: settings forms list fields as declared
    app.json.sort_keys = False
    app.config.update(load_config(overrides))
    init_database(app)
    task_notices.install(FlaskSession)
    wiring.wire(app, AppSession)
    migrate.init_app(app, db, directory=str(cli.MIGRATIONS))
    install_auth(app)
    install_text_guard(app)
    install_compression(app)
    register_api(app)
    web.register_web(app)
    cli.register(app)
    init_celery(app)
    return app
