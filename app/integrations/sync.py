"""Scheduled pulls from an ERP into a form: call the connector's query, map each row,
upsert it by key, and log the run (counts and the first problems).

A sync is due when its cron time (in the tenant's zone) has passed since its last run;
the tick claims it with a conditional UPDATE so two beats never start the same run, and
a manual run is refused while another run of the sync is under way. A run queued before
its sync was deleted does not start.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from croniter import croniter
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.auth.scope import Scope
from app.connectors.settings import Environment, instance
from app.errors import Conflict, GreenShelfError, ValidationError
from app.forms.records import write_records
from app.integrations.upsert import Upsert, check_mapping, map_row
from app.models import Connector, ConnectorSync, Form, SyncRun, Tenant, User
from app.models.base import utcnow
from connectors import REGISTRY, paths

MAX_ERRORS = 50
#: a run still "running" after this long was left by a worker that died
STALE_RUN = timedelta(minutes=30)
FIELDS = ("label", "connector_id", "action", "inputs", "rows_path", "form_id", "mapping")


def _check(scope: Scope, data: dict) -> None:
    connector = scope.get(Connector, data["connector_id"], "connector")
    kind = REGISTRY.get(connector.type)
    if kind is None or data["action"] not in kind.actions:
        raise ValidationError(
            "The connector has no such action.",
            {"action": [f"One of {sorted(kind.actions) if kind else []}."]},
        )
    if not croniter.is_valid(data["schedule"]):
        raise ValidationError(
            "The schedule is not a valid cron expression.",
            {"schedule": ["Five fields, e.g. '0 2 * * *' for 02:00 every day."]},
        )
    if not data.get("key_fields"):
        raise ValidationError("Name the key fields to match rows on.", {"key_fields": ["Empty."]})
    paths.check_mapping({"rows_path": data.get("rows_path") or "$.rows[*]"}, "")
    check_mapping(scope, data["form_id"], data["mapping"], data["key_fields"])


def create_sync(scope: Scope, data: dict) -> ConnectorSync:
    taken = scope.session.scalar(
        scope.select(ConnectorSync).where(ConnectorSync.key == data["key"])
    )
    if taken is not None:
        raise Conflict("This sync key is taken.", {"key": ["Already in use."]})
    _check(scope, data)
    sync = scope.add(
        ConnectorSync(
            key=data["key"],
            label=data["label"],
            connector_id=data["connector_id"],
            action=data["action"],
            inputs=data.get("inputs") or {},
            rows_path=data.get("rows_path") or "$.rows[*]",
            form_id=data["form_id"],
            mapping=data["mapping"],
            key_fields=data["key_fields"],
            schedule=data["schedule"],
            actor_id=scope.user.id,
            enabled=data.get("enabled", True),
        )
    )
    scope.session.commit()
    return sync


def update_sync(scope: Scope, sync_id: int, data: dict) -> ConnectorSync:
    sync = scope.get(ConnectorSync, sync_id, "sync")
    names = (*FIELDS, "key_fields", "schedule", "enabled")
    merged = {name: getattr(sync, name) for name in names} | data
    _check(scope, merged)
    for name in names:
        if name in data:
            setattr(sync, name, data[name])
    sync.actor_id = scope.user.id
    scope.session.commit()
    return sync


def _start(session: Session, sync: ConnectorSync, trigger: str) -> SyncRun:
    running = session.scalar(
        select(SyncRun.id).where(
            SyncRun.sync_id == sync.id,
            SyncRun.status == "running",
            SyncRun.started_at > utcnow() - STALE_RUN,
        )
    )
    if running is not None:
        raise Conflict("This sync is running now.", code="sync_running")
    run = SyncRun(
        tenant_id=sync.tenant_id,
        sync_id=sync.id,
        status="running",
        trigger=trigger,
        started_at=utcnow(),
        errors=[],
    )
    session.add(run)
    sync.last_run_at = run.started_at
    session.commit()
    return run


def _finish(session: Session, run: SyncRun, status: str, message: str | None = None) -> SyncRun:
    run.status, run.message, run.finished_at = status, message, utcnow()
    session.commit()
    return run


def run_sync(session: Session, env: Environment, sync_id: int, trigger: str = "manual") -> SyncRun:
    """Pull, map and upsert every row; one bad row is logged and the others go on."""
    sync = session.get(ConnectorSync, sync_id)
    if sync is None or sync.deleted_at is not None:  # queued just before it was deleted
        raise Conflict("This sync was deleted.", code="sync_deleted")
    run_id = _start(session, sync, trigger).id
    try:
        return _pull(session, env, sync, run_id)
    except Exception as exc:  # whatever broke, the log says so instead of "running" forever
        session.rollback()
        _finish(session, session.get(SyncRun, run_id), "failed", f"Stopped: {exc}"[:2000])
        raise


def _pull(session: Session, env: Environment, sync: ConnectorSync, run_id: int) -> SyncRun:
    run = session.get(SyncRun, run_id)
    actor = session.get(User, sync.actor_id)
    if actor is None or not actor.is_active or actor.deleted_at is not None:
        message = "The person who set up this sync is no longer active: save it again."
        return _finish(session, run, "failed", message)
    connector = session.get(Connector, sync.connector_id)
    try:
        result = instance(env, connector, session).run(sync.action, dict(sync.inputs))
    except GreenShelfError as exc:
        return _finish(session, run, "failed", exc.message[:2000])
    rows = paths.find_all(result, sync.rows_path)
    run.fetched = len(rows)
    scope = Scope(session, sync.tenant_id, actor)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    errors: list[dict] = []
    upsert = Upsert(scope, sync.form_id, sync.key_fields, f"erp_sync:{sync.id}")
    upsert.preload()
    mapping, key_fields = sync.mapping, sync.key_fields
    written: dict[str, list[int]] = {"created": [], "updated": []}
    for index, row in enumerate(rows):
        values: dict = {}
        try:
            with session.begin_nested():  # a bad row leaves the others
                values = map_row(row, mapping)
                outcome, record = upsert.put(values, announce=False)
            counts[outcome] += 1
            written.get(outcome, []).append(record["id"])
        except GreenShelfError as exc:
            if len(errors) < MAX_ERRORS:
                key = {k: values.get(k) for k in key_fields}
                errors.append({"row": index, "key": key, "message": exc.message, **_fields(exc)})
    form = session.get(Form, sync.form_id)
    write_records(scope, form, written["created"], written["updated"], f"erp_sync:{sync.id}")
    session.commit()
    run = session.get(SyncRun, run_id)
    failed = len(rows) - sum(counts.values())
    run.created, run.updated = counts["created"], counts["updated"]
    run.unchanged, run.failed, run.errors, run.fetched = (
        counts["unchanged"],
        failed,
        errors,
        len(rows),
    )
    status = "succeeded" if not failed else ("partial" if failed < len(rows) else "failed")
    return _finish(session, run, status, f"{failed} of {len(rows)} rows failed" if failed else None)


def _fields(exc: GreenShelfError) -> dict:
    return {"errors": exc.errors} if exc.errors else {}


def _is_due(sync: ConnectorSync, zone: str, now: datetime) -> bool:
    tz = ZoneInfo(zone)
    last = (sync.last_run_at or sync.created_at).astimezone(tz)
    return croniter(sync.schedule, last).get_next(datetime) <= now.astimezone(tz)


def claim_due(session: Session, now: datetime | None = None) -> list[int]:
    """Syncs whose time has come, each claimed by this caller alone."""
    now = now or utcnow()
    claimed = []
    rows = session.execute(
        select(ConnectorSync, Tenant.timezone)
        .join(Tenant, Tenant.id == ConnectorSync.tenant_id)
        .where(ConnectorSync.enabled.is_(True), ConnectorSync.deleted_at.is_(None))
    ).all()
    for sync, zone in rows:
        if not _is_due(sync, zone, now):
            continue
        taken = session.execute(
            update(ConnectorSync)
            .where(
                ConnectorSync.id == sync.id,
                ConnectorSync.last_run_at.is_(None)
                if sync.last_run_at is None
                else ConnectorSync.last_run_at == sync.last_run_at,
            )
            .values(last_run_at=now)
        ).rowcount
        if taken:
            claimed.append(sync.id)
    session.commit()
    return claimed
