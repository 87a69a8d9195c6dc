"""Date buckets for charts: a date (or date and time) as the first day of its day, ISO week
(from Monday), month, quarter or year, in SQL on SQLite and PostgreSQL and in Python.

A bucket is named by its first day, so a chart's value ``2026-03-01`` under ``month`` is
March 2026 and a drill-down selects ``2026-03-01 <= d <= 2026-03-31``. A date and time
counts as its calendar date as stored (UTC), as in the expression language's date
functions. Buckets never fail on data: an empty value has no bucket (NULL).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Date, DateTime, Integer, String, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

BUCKETS = ("day", "week", "month", "quarter", "year")
_WORDS = {
    "zh": {"day": "日", "week": "周", "month": "月", "quarter": "季度", "year": "年"},
    "en": {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"},
}


def bucket_sql(value: ColumnElement, bucket: str, is_datetime: bool, dialect: str) -> ColumnElement:
    """The first day of ``value``'s bucket: a DATE on PostgreSQL, ISO text on SQLite."""
    if dialect == "postgresql":
        moment = func.timezone("UTC", value) if is_datetime else cast(value, DateTime())
        return cast(func.date_trunc(bucket, moment), Date)
    day = func.substr(value, 1, 10)  # dates are stored as ISO text, datetimes begin with one
    if bucket == "day":
        return day
    if bucket == "week":
        weekday = cast(func.strftime("%w", day), Integer)  # Sunday is 0
        back = literal("-", String).concat(cast((weekday + 6) % 7, String)).concat(" days")
        return func.date(day, back)
    if bucket == "month":
        return func.substr(value, 1, 7).concat("-01")
    if bucket == "year":
        return func.substr(value, 1, 4).concat("-01-01")
    month = cast(func.substr(value, 6, 2), Integer)
    first = case((month <= 3, "01"), (month <= 6, "04"), (month <= 9, "07"), else_="10")
    return func.substr(value, 1, 5).concat(first).concat("-01")


def as_day(value) -> date | None:
    """A bucket's first day as the databases return it (a date or ISO text)."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def bucket_start(day: date, bucket: str) -> date:
    """The first day of the bucket ``day`` falls in."""
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    if bucket == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if bucket == "year":
        return day.replace(month=1, day=1)
    return day


def bucket_end(start: date, bucket: str) -> date:
    """The last day of the bucket that begins on ``start`` (a bucket start)."""
    if bucket == "day":
        return start
    if bucket == "week":
        return start + timedelta(days=6)
    months = {"month": 1, "quarter": 3, "year": 12}[bucket]
    month = start.month - 1 + months
    try:
        following = date(start.year + month // 12, month % 12 + 1, 1)
    except ValueError:  # the bucket runs to the end of year 9999
        return date.max
    return following - timedelta(days=1)


def bucket_label(start: date, bucket: str) -> str:
    """How a person reads a bucket: 2026-03-05, 2026-W10, 2026-03, 2026 Q1, 2026."""
    if bucket == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if bucket == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if bucket == "quarter":
        return f"{start.year:04d} Q{(start.month - 1) // 3 + 1}"
    if bucket == "year":
        return f"{start.year:04d}"
    return start.isoformat()


def bucket_word(bucket: str, locale: str) -> str:
    return _WORDS.get(locale, _WORDS["en"])[bucket]
