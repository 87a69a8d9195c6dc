"""What else than a form's records a chart can read: ``"source": "alerts"`` reads the alerts
warning rules raised on the form's records, open and closed, one row per alert.

Such a chart is still a chart over its form: the rows are the form's records joined to their
alerts, as a form of its own (``alert_rows``) whose fields are the record's fields and the
alert's facts (``ALERT_FIELDS``: the rule, the level it was raised at, when it was raised,
handled and closed, whether it was handled and the hours it took). Everything the chart
compiler does with a form works on it unchanged: the tenant and the viewer's data scope are
the record's (an alert is seen by whoever may see its record), a dashboard's global filters
on the record's fields apply, and a drill-down's condition selects its rows. It is
read-only: the platform keeps the alerts; nothing here writes them. The few columns of the
platform's ``alerts`` table read here are described here, as ``expr.alert_levels`` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    and_,
    case,
    cast,
    extract,
    func,
    literal,
    null,
    select,
)
from sqlalchemy.engine import Connection

from form_engine.access import Access
from form_engine.compiled import CompiledForm
from form_engine.records import query_clause

#: the sources a chart can read besides its form's records
SOURCES = ("alerts",)
#: the key prefix of the alert facts, so they never meet a field of the record
PREFIX = "alert_"

ALERT_TABLE = Table(
    "alerts",
    MetaData(),
    Column("id", Integer),
    Column("tenant_id", Integer),
    Column("rule_id", Integer),
    Column("form_id", Integer),
    Column("record_id", BigInteger),
    Column("level", String(16)),
    Column("first_seen_at", DateTime(timezone=True)),
    Column("handled_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
)

_LEVELS = [
    {"value": "yellow", "label": {"zh": "黄牌", "en": "Yellow"}, "color": "#e6a23c"},
    {"value": "red", "label": {"zh": "红牌", "en": "Red"}, "color": "#f56c6c"},
    {"value": "expired", "label": {"zh": "已过期", "en": "Expired"}, "color": "#909399"},
]
#: the alert's facts as fields (``alert_rule`` gets its options from the rules at hand)
ALERT_FIELDS = [
    {"key": "alert_rule", "type": "select", "label": {"zh": "预警规则", "en": "Warning rule"}},
    {
        "key": "alert_level",
        "type": "select",
        "label": {"zh": "预警等级", "en": "Alert level"},
        "options": _LEVELS,
    },
    {"key": "alert_raised_at", "type": "datetime", "label": {"zh": "预警时间", "en": "Raised at"}},
    {
        "key": "alert_handled_at",
        "type": "datetime",
        "label": {"zh": "处理时间", "en": "Handled at"},
    },
    {"key": "alert_closed_at", "type": "datetime", "label": {"zh": "关闭时间", "en": "Closed at"}},
    {"key": "alert_handled", "type": "switch", "label": {"zh": "已处理", "en": "Handled"}},
    {
        "key": "alert_hours",
        "type": "decimal",
        "label": {"zh": "处理时长(小时)", "en": "Hours to handle"},
        "precision": 2,
    },
]


def source_of(definition: Any) -> str | None:
    """The source a definition names (None: its form's records)."""
    return definition.get("source") if isinstance(definition, dict) else None


def alert_fields(rules: Mapping[str, tuple[int, Any]]) -> list[dict]:
    """The alert facts as fields, ``alert_rule`` offering the rules at hand ({key: (id,
    label)})."""
    options = [
        {"value": key, "label": label if isinstance(label, dict) else {"zh": str(label)}}
        for key, (_, label) in sorted(rules.items())
    ]
    return [
        {**field, "options": options} if field["key"] == "alert_rule" else dict(field)
        for field in ALERT_FIELDS
    ]


def alert_rows(
    form: CompiledForm, form_id: int, rules: Mapping[str, tuple[int, Any]], dialect: str
) -> CompiledForm:
    """The alerts ``rules`` ({key: (id, label)}, the rules watching ``form``, whose id is
    ``form_id``) raised on its records, as a form: one row per alert, the record's columns
    (its id, tenant, owner and deletion too) beside the alert's facts."""
    record, alert = form.table, ALERT_TABLE.alias("alert")
    ids = {rule_id: key for key, (rule_id, _) in rules.items()}
    rule_key = case(ids, value=alert.c.rule_id, else_=null()) if ids else null()
    columns = [
        *record.columns,
        cast(rule_key, String(40)).label("alert_rule"),
        alert.c.level.label("alert_level"),
        alert.c.first_seen_at.label("alert_raised_at"),
        alert.c.handled_at.label("alert_handled_at"),
        alert.c.closed_at.label("alert_closed_at"),
        case((alert.c.handled_at.is_not(None), literal(True)), else_=literal(False)).label(
            "alert_handled"
        ),
        _hours(alert.c.first_seen_at, alert.c.handled_at, dialect).label("alert_hours"),
    ]
    joined = alert.join(
        record, and_(record.c.id == alert.c.record_id, record.c.tenant_id == alert.c.tenant_id)
    )
    rows = (
        select(*columns)
        .select_from(joined)
        .where(alert.c.form_id == form_id, alert.c.rule_id.in_(sorted(ids) or [-1]))
        .subquery(f"{record.name}_alerts")
    )
    rows.info = dict(record.info)  # a shared form's alerts are read as its records are
    fields = dict(form.fields)
    for field in alert_fields(rules):
        fields[field["key"]] = field
    meta = {**{k: v for k, v in form.meta.items() if k != "list"}, "fields": list(fields.values())}
    return CompiledForm(form.form_key, form.version, meta, rows, {}, fields)


def _hours(start, end, dialect: str):
    """Hours from ``start`` to ``end`` (null until ``end``), to the hundredth."""
    if dialect == "postgresql":
        seconds = extract("epoch", end - start)
    else:
        seconds = (func.julianday(end) - func.julianday(start)) * 86400
    return cast(func.round(cast(seconds / 3600.0, Numeric(18, 4)), 2), Numeric(18, 2))


#: the alerts a drill-down lists at most (its count is exact)
LISTED = 200


def listed_alerts(
    conn: Connection, rows: CompiledForm, access: Access, condition: Any
) -> list[dict]:
    """The alerts ``condition`` selects among ``rows`` (an ``alert_rows`` form) in the
    caller's scope, the latest raised first: each with its record's id and title."""
    table = rows.table
    title = table.c[rows.title_key] if rows.title_key else null()
    stmt = (
        select(
            table.c.id,
            title.label("title"),
            *[table.c[key] for key in ("alert_rule", "alert_level", "alert_raised_at")],
            *[table.c[key] for key in ("alert_handled_at", "alert_closed_at", "alert_hours")],
        )
        .where(query_clause(rows, access, condition, include_deleted=False))
        .order_by(table.c.alert_raised_at.desc(), table.c.id)
        .limit(LISTED)
    )
    found = []
    for row in conn.execute(stmt):
        item = dict(row._mapping)
        item["record_id"] = item.pop("id")
        for key in ("alert_raised_at", "alert_handled_at", "alert_closed_at"):
            moment = item[key]
            item[key] = moment.isoformat() if hasattr(moment, "isoformat") else moment
        item["alert_hours"] = None if item["alert_hours"] is None else float(item["alert_hours"])
        found.append(item)
    return found
