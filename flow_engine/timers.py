"""Timer settings of a flow: ISO 8601 durations, user-task timeouts and timer events.

A user task may carry a timeout (``gs:timeout``, an ISO 8601 duration such as ``PT4H`` or
``P2D``) and what happens when it passes (``gs:onTimeout``):

    remind        notify the people still to decide, again every ``gs:remindEvery``
                  (default: the timeout itself) up to ``gs:remindCount`` times (default 1)
    escalate      hand the open seats to ``gs:escalateTo`` (an assignment, see
                  flow_engine.assignment)
    auto_approve  decide for them: the step is approved
    auto_reject   decide for them: the flow ends as rejected

BPMN timer events (an intermediate catch event, the simple designer's "delay", or a
boundary event on a user task) wait for a ``timeDuration``. Durations are literal text
parsed here, never evaluated. Nothing here reads a clock: callers pass "now".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from engine_errors import ValidationError

ON_TIMEOUT = ("remind", "escalate", "auto_approve", "auto_reject")
MAX_REMINDERS = 50
MAX_DURATION = timedelta(days=366)
MIN_DURATION = timedelta(seconds=1)
_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+)W|(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?)$"
)


def parse_duration(text: object) -> timedelta:
    """An ISO 8601 duration in weeks, days, hours, minutes and seconds (``PT2S``, ``P1DT4H``).

    Months and years are refused: their length depends on the calendar.
    """
    if not isinstance(text, str):
        raise ValidationError("A duration is ISO 8601 text such as PT30M, PT4H or P2D.")
    match = _DURATION.match(text.strip().upper())
    if match is None or not any(match.groupdict().values()) or text.strip().upper() == "PT":
        raise ValidationError(
            f"'{text}' is not a duration: use ISO 8601 such as PT30M, PT4H or P2D "
            "(weeks, days, hours, minutes, seconds)."
        )
    parts = {k: int(v) for k, v in match.groupdict().items() if v}
    value = timedelta(**parts)
    if value < MIN_DURATION:
        raise ValidationError("A duration is at least one second.")
    if value > MAX_DURATION:
        raise ValidationError("A duration is at most a year.")
    return value


@dataclass(frozen=True)
class Timeout:
    """What happens to a user task nobody decides in time."""

    after: timedelta
    action: str = "remind"
    every: timedelta | None = None
    count: int = 1
    escalate_to: str | None = None

    def first_due(self, now: datetime) -> datetime:
        return now + self.after

    def next_due(self, fired: int, due: datetime) -> datetime | None:
        """When to fire again after the ``fired``-th firing at ``due``; None when done."""
        if self.action != "remind" or fired >= self.count:
            return None
        return due + (self.every or self.after)

    def to_node(self) -> dict:
        """The JSON a flow version's node stores (durations as text)."""
        node = {"after": _iso(self.after), "action": self.action, "count": self.count}
        if self.every is not None:
            node["every"] = _iso(self.every)
        if self.escalate_to:
            node["escalate_to"] = self.escalate_to
        return node

    @classmethod
    def from_node(cls, node: dict) -> Timeout:
        return cls(
            after=parse_duration(node["after"]),
            action=node.get("action", "remind"),
            every=parse_duration(node["every"]) if node.get("every") else None,
            count=int(node.get("count", 1)),
            escalate_to=node.get("escalate_to"),
        )


def _iso(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    time = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    return f"P{f'{days}D' if days else ''}{'T' + time if time else ''}"


def parse_timeout(
    after: str | None,
    action: str | None = None,
    every: str | None = None,
    count: str | int | None = None,
    escalate_to: str | None = None,
) -> tuple[Timeout | None, dict[str, str]]:
    """A user task's timeout from its settings; (None, {}) when it has none.

    Problems come back keyed by the setting's name, for the caller to place.
    """
    problems: dict[str, str] = {}
    if not after:
        stray = {"onTimeout": action, "remindEvery": every, "remindCount": count}
        for name, value in stray.items():
            if value not in (None, ""):
                problems[name] = "Set gs:timeout too, or remove this setting."
        return None, problems
    action = action or "remind"
    values: dict = {"action": action}
    for name, text, key in (("timeout", after, "after"), ("remindEvery", every, "every")):
        if text:
            try:
                values[key] = parse_duration(text)
            except ValidationError as exc:
                problems[name] = exc.message
    if action not in ON_TIMEOUT:
        problems["onTimeout"] = f"One of {', '.join(ON_TIMEOUT)}."
    if count not in (None, ""):
        text = str(count).strip()
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_REMINDERS:
            problems["remindCount"] = f"A whole number from 1 to {MAX_REMINDERS}."
        else:
            values["count"] = int(text)
    if action == "escalate":
        if not escalate_to:
            problems["escalateTo"] = "Say who the task escalates to."
        values["escalate_to"] = escalate_to
    elif escalate_to:
        problems["escalateTo"] = "Only an escalating timeout names someone to escalate to."
    if (every or count) and action != "remind":
        problems["remindEvery" if every else "remindCount"] = "Only reminders repeat."
    if problems:
        return None, problems
    return Timeout(**values), {}
