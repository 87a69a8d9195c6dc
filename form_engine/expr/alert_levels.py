"""``{"alert_level": "<rule key>"}``: a record's current level under a warning rule.

The value is text: the level of the record's open alert under the rule with that key
(``yellow``, ``red``, ``expired``), or ``green`` when it has none (the record is fine, out
of the rule's scope, or the rule watches another form). Charts group by it and their
drill-downs filter on it, so "batches with an open red alert under rule X" is an ordinary
condition: ``{"==": [{"alert_level": "expiry"}, "red"]}``, which the records API runs too.

Warning rules belong to the platform, not to the form engine: the platform keeps at most one
open alert per (rule, record) in its ``alerts`` table. The few columns of it (and of
``rules``, to find the rule by key, and ``forms``, to find the form by its table, whose name
is unique) that the SQL compiler reads are described here; nothing here writes them. Python
and the browser see a record's data, not its alerts: there every record is green, as in SQL
for a table that is no form's. Use the construct in queries (charts, lists, data scopes):
form linkage and flows check their expressions with ``check(..., alerts=False)``, which
refuses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    func,
    literal,
    select,
)

from engine_errors import ValidationError

NO_ALERT = "green"
#: every level a record can be at, the least urgent first
LEVELS = (NO_ALERT, "yellow", "red", "expired")

_platform = MetaData()
ALERTS = Table(
    "alerts",
    _platform,
    Column("rule_id", Integer),
    Column("form_id", Integer),
    Column("record_id", BigInteger),
    Column("level", String(16)),
    Column("closed_at", DateTime(timezone=True)),
)
RULES = Table(
    "rules", _platform, Column("id", Integer), Column("tenant_id", Integer), Column("key", String)
)
FORMS = Table(
    "forms",
    _platform,
    Column("id", Integer),
    Column("tenant_id", Integer),
    Column("table_name", String),
)


def level_sql(rule_key: str, columns: Mapping[str, ColumnElement]) -> ColumnElement:
    """The level as SQL, for the rows of the form table that ``columns`` belong to."""
    record, table_name = _record_table(columns)
    a, r, f = ALERTS.c, RULES.c, FORMS.c
    alerts = ALERTS.join(RULES, r.id == a.rule_id).join(FORMS, f.id == a.form_id)
    level = (
        select(a.level)
        .select_from(alerts)
        .where(
            a.record_id == record.c.id,
            a.closed_at.is_(None),
            f.table_name == table_name,  # the form, and so the tenant, of the records
            r.tenant_id == f.tenant_id,
            r.key == rule_key,
        )
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(level, literal(NO_ALERT, String))


def _record_table(columns: Mapping[str, ColumnElement]) -> tuple[Any, str]:
    """The form table the columns are read from (its rows are the records), and its name."""
    for column in columns.values():
        table = getattr(column, "table", None)
        base = getattr(table, "element", table)  # an alias of the table reads the same rows
        if isinstance(base, Table) and "id" in table.c:
            return table, base.name
    message = "'alert_level' can only be used on a form's records"
    raise ValidationError(message, {"$": [message]})
