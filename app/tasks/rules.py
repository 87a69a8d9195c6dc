"""Worker side of warning rules: scheduled and run-now scans. (Their emails are deliveries
of the system email connector, sent by ``app.tasks.connectors``.)"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from celery import shared_task
from croniter import croniter

from app.auth.scope import Scope
from app.extensions import db
from app.models import Rule, Tenant
from app.models.base import utcnow
from app.rules import rules as rules_service


@shared_task(name="greenshelf.scan_rule")
def scan_rule(tenant_id: int, rule_id: int) -> dict:
    scope = Scope(db.session, tenant_id, None)
    return rules_service.scan(scope, rule_id)


def is_due(rule: Rule, tenant: Tenant, now: datetime) -> bool:
    """Whether the rule's cron time (in the tenant's zone) passed since its last scan."""
    zone = ZoneInfo(tenant.timezone)
    last = (rule.last_scan_at or rule.created_at).astimezone(zone)
    return croniter(rule.schedule, last).get_next(datetime) <= now.astimezone(zone)


@shared_task(name="greenshelf.rules_tick")
def rules_tick() -> int:
    """Every minute: queue a scan for each published rule whose time has come."""
    now = utcnow()
    queued = 0
    for rule in db.session.scalars(
        db.select(Rule).where(Rule.enabled.is_(True), Rule.published_version.is_not(None))
    ):
        if is_due(rule, db.session.get(Tenant, rule.tenant_id), now):
            scan_rule.delay(rule.tenant_id, rule.id)
            queued += 1
    return queued
