"""Numbers the platform gives each new record, from a pattern like LOT-{YYYYMMDD}-{seq:4}.

The sequence restarts whenever the date part of the pattern changes (daily for
{YYYYMMDD}, monthly for {YYYYMM}); ``records`` draws it from a counter row updated
atomically, so two concurrent inserts never get the same number.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import Column, String

from form_engine.fields.base import FieldType, nullable

TOKEN = re.compile(r"\{(YYYYMMDD|YYYYMM|YYYY|YY|MM|DD|seq(?::([0-9]{1,2}))?)\}")


def period_of(pattern: str, today: date) -> str:
    """The part of the pattern that restarts the sequence when it changes."""
    tokens = [m.group(1) for m in TOKEN.finditer(pattern)]
    return "".join(_date_token(t, today) for t in tokens if not t.startswith("seq"))


def _date_token(token: str, today: date) -> str:
    return {
        "YYYYMMDD": today.strftime("%Y%m%d"),
        "YYYYMM": today.strftime("%Y%m"),
        "YYYY": today.strftime("%Y"),
        "YY": today.strftime("%y"),
        "MM": today.strftime("%m"),
        "DD": today.strftime("%d"),
    }[token]


def render(pattern: str, today: date, seq: int) -> str:
    def one(match: re.Match) -> str:
        token = match.group(1)
        if token.startswith("seq"):
            return str(seq).zfill(int(match.group(2) or 1))
        return _date_token(token, today)

    return TOKEN.sub(one, pattern)


class AutoNumberField(FieldType):
    name = "autonumber"
    ui = "autonumber"
    computed = True

    def json_schema(self, field: dict) -> dict:
        return nullable({"type": "string"})

    def column(self, field: dict) -> Column:
        return Column(field["key"], String(64))

    def storage_kind(self, field: dict) -> str:
        return "string"

    def coerce(self, field: dict, value: Any) -> Any:
        return None  # always given by the platform

    def options_check(self, field: dict) -> list[str]:
        pattern = field.get("pattern") or ""
        if "{seq" not in pattern:
            return ["pattern needs a {seq} or {seq:N} part"]
        rest = TOKEN.sub("", pattern)
        if "{" in rest or "}" in rest:
            return ["pattern has an unknown {part}"]
        return []
