"""Scheduled scans run when the rule's cron time has passed in the tenant's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from app.tasks.rules import is_due


def _rule(schedule: str, last_scan: datetime | None) -> SimpleNamespace:
    created = datetime(2026, 11, 1, tzinfo=UTC)
    return SimpleNamespace(schedule=schedule, last_scan_at=last_scan, created_at=created)


SHANGHAI = SimpleNamespace(timezone="Asia/Shanghai")


def test_daily_two_am_in_the_tenant_zone():
    # Last scan 02:00 Shanghai on the 24th (18:00 UTC on the 23rd).
    last = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
    rule = _rule("0 2 * * *", last)
    assert not is_due(rule, SHANGHAI, datetime(2026, 11, 24, 17, 59, tzinfo=UTC))
    assert is_due(rule, SHANGHAI, datetime(2026, 11, 24, 18, 0, tzinfo=UTC))


def test_a_rule_never_scanned_counts_from_its_creation():
    rule = _rule("*/30 * * * *", None)
    assert is_due(rule, SHANGHAI, datetime(2026, 11, 1, 0, 30, tzinfo=UTC))
    assert not is_due(rule, SHANGHAI, datetime(2026, 11, 1, 0, 29, tzinfo=UTC))
