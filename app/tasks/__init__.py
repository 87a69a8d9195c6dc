"""Background work: the Celery app, its schedule and thin task shells around services."""
