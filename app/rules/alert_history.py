"""Past alerts written as history: alerts a rule raised before this installation kept them
(a demo's past, or the alerts of a system being migrated), closed, with when they were
raised, handled and closed, so that charts of alerts show them as the rule's own.

Each entry names its rule by key and its record by the title the record is shown by (or
its id); it is written as a closed alert and its level history (raised, then closed), so
it never meets the rule's open alerts. Nothing here opens, moves or fires an alert: the
rule's scans keep doing that; the rules' data generations move (``alert_levels_changed``),
so cached charts of their alerts are computed afresh. Every entry is checked before any
is written; a problem is a ValidationError naming the entry (``alerts.3.record``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select

from app import events
from app.auth.scope import Scope
from app.errors import ValidationError
from app.forms.forms import compiled
from app.models import Alert, AlertEvent, Form, Rule
from app.models.base import utcnow
from app.rules.alerts import ALERTING
from app.rules.rules import published_definition

MOMENTS = ("raised_at", "handled_at", "closed_at")


def record_history(scope: Scope, entries: list[dict[str, Any]]) -> int:
    """Write ``entries`` ({"rule", "record", "level", "raised_at", "closed_at",
    "handled_at"?, "close_reason"?}, moments as ISO text or datetimes in UTC) as closed
    alerts with their history, and commit; how many were written."""
    errors: dict[str, list[str]] = {}
    targets = _Targets(scope)
    rows = []
    for index, entry in enumerate(entries):
        path = f"alerts.{index}"
        found = targets.of(entry, path, errors)
        moments = {name: _moment(entry.get(name), f"{path}.{name}", errors) for name in MOMENTS}
        if entry.get("level") not in ALERTING:
            errors.setdefault(f"{path}.level", []).append(f"One of {', '.join(ALERTING)}.")
        if found is None or None in (moments["raised_at"], moments["closed_at"]):
            continue
        if not moments["raised_at"] <= moments["closed_at"]:
            errors.setdefault(f"{path}.closed_at", []).append("Not before raised_at.")
        handled = moments["handled_at"]
        if handled is not None and not moments["raised_at"] <= handled:
            errors.setdefault(f"{path}.handled_at", []).append("Not before raised_at.")
        rows.append((entry, found, moments))
    if errors:
        first = next(iter(errors))
        raise ValidationError(f"The alert history is not valid: {first}", errors)
    for entry, (rule_id, form_id, record_id), moments in rows:
        alert = scope.add(
            Alert(
                rule_id=rule_id,
                form_id=form_id,
                record_id=record_id,
                level=entry["level"],
                title=str(entry["record"])[:300],
                first_seen_at=moments["raised_at"],
                level_since=moments["raised_at"],
                handled_at=moments["handled_at"],
                closed_at=moments["closed_at"],
                close_reason=str(entry.get("close_reason") or "handled")[:200],
                created_at=moments["raised_at"],
                updated_at=moments["closed_at"],
            )
        )
        scope.session.flush()
        scope.session.execute(
            insert(AlertEvent),
            [
                _event(scope, alert.id, None, entry["level"], moments["raised_at"]),
                _event(scope, alert.id, entry["level"], None, moments["closed_at"]),
            ],
        )
    # charts of the rules' alerts read them from now on (no alert moved now: no webhook)
    now = utcnow()
    for rule_id in sorted({rule_id for _, (rule_id, _, _), _ in rows}):
        events.emit(events.alert_levels_changed, events.AlertLevelsChanged(scope, rule_id, now))
    scope.session.commit()
    return len(rows)


def _event(scope: Scope, alert_id: int, before, after, at: datetime) -> dict:
    return {
        "tenant_id": scope.tenant_id,
        "alert_id": alert_id,
        "from_level": before,
        "to_level": after,
        "at": at,
    }


def _moment(value: Any, path: str, errors: dict) -> datetime | None:
    if value is None:
        if not path.endswith("handled_at"):
            errors.setdefault(path, []).append("A date and time (ISO 8601).")
        return None
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(path, []).append("A date and time (ISO 8601).")
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if moment > utcnow():
        errors.setdefault(path, []).append("History is in the past.")
        return None
    return moment.astimezone(UTC)


class _Targets:
    """The rules named by key and their records by title, looked up once each."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.rules: dict[str, tuple[int, int, Any] | None] = {}
        self.records: dict[tuple[int, Any], int | None] = {}

    def of(self, entry: dict, path: str, errors: dict) -> tuple[int, int, int] | None:
        rule = self.rule(entry.get("rule"))
        if rule is None:
            errors.setdefault(f"{path}.rule", []).append(f"No warning rule '{entry.get('rule')}'.")
            return None
        rule_id, form_id, form_c = rule
        record_id = self.record(form_id, form_c, entry.get("record"))
        if record_id is None:
            errors.setdefault(f"{path}.record", []).append(
                f"No record '{entry.get('record')}' in the rule's form."
            )
            return None
        return rule_id, form_id, record_id

    def rule(self, key: Any) -> tuple[int, int, Any] | None:
        if not isinstance(key, str):
            return None
        if key not in self.rules:
            rule = self.scope.session.scalar(self.scope.select(Rule).where(Rule.key == key))
            definition = published_definition(self.scope, rule) if rule is not None else None
            form = None
            if definition is not None:
                form = self.scope.session.scalar(
                    self.scope.select(Form).where(Form.key == definition.get("form"))
                )
            self.rules[key] = (
                None if form is None else (rule.id, form.id, compiled(self.scope, form.id)[1])
            )
        return self.rules[key]

    def record(self, form_id: int, form_c, wanted: Any) -> int | None:
        if (form_id, wanted) not in self.records:
            table = form_c.table
            if isinstance(wanted, int) and not isinstance(wanted, bool):
                match = table.c.id == wanted
            elif isinstance(wanted, str) and form_c.title_key:
                match = table.c[form_c.title_key] == wanted
            else:
                return None
            stmt = select(table.c.id).where(
                table.c.tenant_id == self.scope.tenant_id, table.c.deleted_at.is_(None), match
            )
            self.records[(form_id, wanted)] = self.scope.session.scalar(
                stmt.order_by(table.c.id).limit(1)
            )
        return self.records[(form_id, wanted)]
