"""Real worker processes for integration tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest


@pytest.fixture
def start_worker(app):
    """Start a Celery worker on the suite's database and broker; stopped after the test."""
    started = []

    def start(**extra_env: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "GS_INSTANCE_PATH": app.config["INSTANCE_PATH"],
            "CELERY_BROKER_URL": app.config["CELERY_BROKER_URL"],
            "CELERY_RESULT_BACKEND": app.config["CELERY_RESULT_BACKEND"],
            "SECRET_KEY": app.config["SECRET_KEY"],
            **extra_env,
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "app.tasks.worker",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
