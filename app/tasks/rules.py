"""Worker side of warning rules: scheduled scans, run-now scans and email delivery."""

from __future__ import annotations

from datetime import datetime
from smtplib import SMTPException
from zoneinfo import ZoneInfo

from celery import shared_task
from croniter import croniter
from flask import current_app

from app.auth.scope import Scope
from app.extensions import db
from app.models import EmailDelivery, Rule, Tenant
from app.models.base import utcnow
from app.rules import rules as rules_service
from app.rules.email import SmtpSettings, send_delivery


def smtp_settings() -> SmtpSettings:
    config = current_app.config
    return SmtpSettings(
        host=config["GS_SMTP_HOST"],
        port=config["GS_SMTP_PORT"],
        security=config["GS_SMTP_SECURITY"],
        username=config["GS_SMTP_USER"],
        password=config["GS_SMTP_PASSWORD"],
        sender=config["GS_SMTP_FROM"],
    )


@shared_task(
    name="greenshelf.send_email",
    max_retries=5,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=5,
    retry_backoff_max=600,
)
def send_email(delivery_id: int) -> str:
    return send_delivery(db.session, delivery_id, smtp_settings())


@shared_task(name="greenshelf.email_outbox")
def email_outbox() -> int:
    """Queue every email still pending (the outbox survives a lost enqueue or a restart)."""
    pending = db.session.scalars(
        db.select(EmailDelivery.id).where(
            EmailDelivery.status.in_(["pending", "retrying"]), EmailDelivery.attempts < 5
        )
    ).all()
    for delivery_id in pending:
        send_email.delay(delivery_id)
    return len(pending)


@shared_task(name="greenshelf.scan_rule")
def scan_rule(tenant_id: int, rule_id: int) -> dict:
    scope = Scope(db.session, tenant_id, None)
    return rules_service.scan(scope, rule_id, send_email=send_email.delay)


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
