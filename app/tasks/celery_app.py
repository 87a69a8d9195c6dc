"""Builds the Celery app from the Flask config.

The broker is Redis when REDIS_URL is set, otherwise kombu's SQLAlchemy transport on a
SQLite file in the instance folder, so a single machine needs no broker server. Tasks
run inside the Flask app context so they share the services and the database session.
"""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask

HEARTBEAT_SECONDS = 30.0


def init_celery(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    current = app.config.get("GS_CELERY_CURRENT", True)
    celery = Celery(app.import_name, task_cls=FlaskTask, set_as_current=current)
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        result_backend=app.config["CELERY_RESULT_BACKEND"],
        task_always_eager=app.config["CELERY_TASK_ALWAYS_EAGER"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        timezone="UTC",
        beat_schedule={
            "worker-heartbeat": {
                "task": "greenshelf.heartbeat",
                "schedule": HEARTBEAT_SECONDS,
            },
            "warning-rules": {"task": "greenshelf.rules_tick", "schedule": 60.0},
            "delivery-sweeper": {"task": "greenshelf.delivery_sweeper", "schedule": 15.0},
            "flow-sweeper": {
                "task": "greenshelf.flow_sweeper",
                "schedule": float(app.config.get("GS_FLOW_SWEEP_SECONDS", 5.0)),
            },
            "connector-syncs": {"task": "greenshelf.sync_tick", "schedule": 60.0},
        },
        imports=[
            "app.tasks.system",
            "app.tasks.imports",
            "app.tasks.rules",
            "app.tasks.connectors",
            "app.tasks.flows",
            "app.tasks.templates",
        ],
    )
    if current:
        celery.set_default()
    app.extensions["celery"] = celery
    return celery
