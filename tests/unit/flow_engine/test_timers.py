"""Durations are ISO 8601 text, parsed and never evaluated; timeouts say what happens when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine_errors import ValidationError
from flow_engine.timers import Timeout, parse_duration, parse_timeout


@pytest.mark.parametrize(
    "text, value",
    [
        ("PT2S", timedelta(seconds=2)),
        ("PT30M", timedelta(minutes=30)),
        ("P2D", timedelta(days=2)),
        ("P1DT4H", timedelta(days=1, hours=4)),
        ("P1W", timedelta(weeks=1)),
        (" pt4h ", timedelta(hours=4)),
    ],
)
def test_durations(text, value):
    assert parse_duration(text) == value


@pytest.mark.parametrize(
    "text", ["", "PT", "P", "2 hours", "P1M", "P1Y", "PT0S", "P400D", "__import__('os')", 5, None]
)
def test_what_is_not_a_duration_is_refused(text):
    with pytest.raises(ValidationError):
        parse_duration(text)


def test_reminders_repeat_up_to_their_count():
    timeout = Timeout(timedelta(hours=1), "remind", timedelta(minutes=30), count=3)
    first = datetime(2026, 1, 1, tzinfo=UTC)
    assert timeout.first_due(first) == first + timedelta(hours=1)
    assert timeout.next_due(1, first) == first + timedelta(minutes=30)
    assert timeout.next_due(2, first) == first + timedelta(minutes=30)
    assert timeout.next_due(3, first) is None
    assert Timeout(timedelta(hours=1), "auto_approve").next_due(1, first) is None
    assert Timeout.from_node(timeout.to_node()) == timeout


@pytest.mark.parametrize(
    "settings, problem",
    [
        (("PT1H", "nap"), "onTimeout"),
        (("PT1H", "escalate"), "escalateTo"),
        (("PT1H", "remind", None, "0"), "remindCount"),
        (("PT1H", "auto_reject", "PT5M"), "remindEvery"),
        (("PT1H", "remind", None, None, "role:boss"), "escalateTo"),
        ((None, "remind"), "onTimeout"),
        (("soon",), "timeout"),
    ],
)
def test_bad_timeouts_name_the_setting(settings, problem):
    timeout, problems = parse_timeout(*settings)
    assert timeout is None and problem in problems


def test_a_task_without_a_timeout_has_none():
    assert parse_timeout(None) == (None, {})
    timeout, problems = parse_timeout("PT4H", "escalate", None, None, "role:boss")
    assert problems == {} and timeout.escalate_to == "role:boss"
