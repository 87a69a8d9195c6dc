"""Runs the whole stack on one machine: web server, Celery worker and beat, stopped together.

For `make run` and small installations; larger ones run each part under their own
process manager. One Ctrl-C (or SIGTERM) stops all three; if one part dies, the others
are stopped too, so nothing is left half-running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def commands(host: str, port: int, instance: Path) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "web": [
            python,
            "-m",
            "gunicorn",
            "--bind",
            f"{host}:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "app:create_app()",
        ],
        "worker": [
            python,
            "-m",
            "celery",
            "-A",
            "app.tasks.worker",
            "worker",
            "--loglevel=INFO",
            "--concurrency=2",
            "--without-gossip",
        ],
        "beat": [
            python,
            "-m",
            "celery",
            "-A",
            "app.tasks.worker",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(instance / "celerybeat-schedule"),
        ],
    }


def run_stack(host: str, port: int, instance: Path) -> int:
    """Start web, worker and beat; return when they stop, with a non-zero code on failure."""
    children = {
        name: subprocess.Popen(cmd, env=os.environ.copy())
        for name, cmd in commands(host, port, instance).items()
    }
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"GreenShelf is running on http://{host}:{port}  (Ctrl-C stops web, worker and beat)")
    failed = None
    while not stopping and failed is None:
        for name, child in children.items():
            if child.poll() is not None:
                failed = name
        time.sleep(0.5)
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 15
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
    if failed:
        print(f"The {failed} process stopped unexpectedly; the others were stopped too.")
        return 1
    return 0
