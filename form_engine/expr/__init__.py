"""GreenShelf's one condition language: JSON expressions checked at save time, then run in
Python (``evaluate``), in SQL (``to_sql``) and in the browser (frontend/src/expr), with the
same answer everywhere (``tests/expr_vectors.json`` holds the cases all three must pass).

The language is a typed JsonLogic subset: ``var``, ``== != < <= > >= between``, ``and or !
!!``, ``in contains starts_with``, ``+ - * /``, ``if``, ``missing``, ``today days_until
date_diff add_days``, and ``alert_level`` (a record's level under a warning rule, read in SQL
from the platform's open alerts; green in Python and the browser, which see no alerts: see
``alert_levels``); literals are null, booleans, numbers, text, and lists (only as the right
side of ``in``). It is never turned into code: no eval, exec or compile.

Semantics, identical in Python, SQL and TypeScript:

- Types are checked at save time (``check``); after that nothing fails at run time.
  Conditions (``and``, ``or``, ``!``, ``!!``, ``if``) accept only booleans and lists; a
  list is true when it is not empty, and null is false. Text and numbers are never truthy.
- Null: arithmetic and date functions with a null operand give null; ``< <= > >= between``
  with a null operand are false; ``==`` is null-safe (null == null is true, null == 1 is
  false) and ``!=`` is exactly its negation; ``in``/``contains``/``starts_with`` with a null
  operand are false. Operators always give true or false; ``var`` and ``if`` pass a null on.
- Numbers are integers or decimals (never floats). A JSON number without a fractional part
  is an integer. Integer arithmetic stays integer; anything with a decimal is decimal; ``/``
  is always decimal, rounded to 10 places half away from zero, and null when dividing by 0.
  Decimals are compared (``==``, ordering, ``in``) after rounding to 6 places.
- Text compares case-sensitively by Unicode code point; ``contains``/``in`` on text are plain
  substring tests (no wildcards), ``starts_with`` a plain prefix test.
- Dates are ``YYYY-MM-DD``; a text literal meeting a date (or ``YYYY-MM-DDTHH:MM:SS``
  datetime) is read as one, and an invalid one is a save-time error. ``today`` is an
  argument, never the clock. ``days_until(d)`` = d - today and ``date_diff(a, b)`` = a - b
  in whole days; ``add_days`` gives a date, or null outside the years 1-9999. A datetime in
  a date function counts as its calendar date.
- ``in`` finds a value in a list literal, text in text, or a choice in a multi-select;
  ``missing`` lists the named fields that are null, empty text or an empty multi-select.

``evaluate`` reads data as the declared field types when given ``fields``; without them it
takes values as they come (date objects, or ISO text where a date is expected), which is
exact for everything but datetimes written in two different ISO spellings.
"""

from __future__ import annotations

from typing import Any

from form_engine.expr.check import check
from form_engine.expr.evaluate import evaluate, is_true
from form_engine.expr.syntax import validate_shape, walk_fields
from form_engine.expr.to_sql import to_sql

__all__ = ["check", "evaluate", "fields_used", "is_true", "to_sql"]


def fields_used(expr: Any) -> set[str]:
    """The names of the fields ``expr`` reads (for dependency tracking and permissions)."""
    validate_shape(expr)
    return set(walk_fields(expr))
