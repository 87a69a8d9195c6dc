"""Entry point for `celery -A app.tasks.worker worker|beat`."""

from app import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
