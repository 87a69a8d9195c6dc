"""A chart's figures for the caller: its groups, totals and previous period, labelled in the
caller's language and always within their records data scope; the drill-down from a value
to the records behind it, and the chart's next step down; the preview of a definition before
it is saved.

Results are cached (``cache``) under everything they depend on, the data generations of the
forms and rules they read included (``generations``), so a result is reused until the data
changes or it expires.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from app.auth.scope import Scope
from app.dashboards import generations
from app.dashboards.cache import Store, result_key
from app.dashboards.charts import CheckedChart, check_definition, get_chart
from app.dashboards.workbook import chart_workbook
from app.forms.access import access_for
from app.forms.directory import TenantDirectory
from app.models import Chart
from form_engine import chart_conditions, chart_sources, chart_steps
from form_engine.access import Access
from form_engine.aggregate import aggregate, count_records
from form_engine.chart_labels import dimension_headers, labelled_rows, measure_headers


def preview(
    scope: Scope, form_id: int, definition: Any, filters: dict, locale: str, store: Store
) -> dict:
    """What a definition shows before it is saved (it is checked the same way)."""
    return _figures(scope, check_definition(scope, form_id, definition), filters, locale, store)


def chart_data(scope: Scope, chart_id: int, filters: dict, locale: str, store: Store) -> dict:
    """A saved chart's figures under the global ``filters``, for the caller."""
    chart = get_chart(scope, chart_id)
    checked = check_definition(scope, chart.form_id, chart.definition)
    return _figures(scope, checked, filters, locale, store)


def step_data(
    scope: Scope,
    chart_id: int,
    filters: dict,
    point: dict,
    depth: int,
    locale: str,
    store: Store,
) -> dict:
    """A drill step of a saved chart, for whoever may view it: its figures over the records
    at ``point``, grouped by the dimensions of the view at ``depth`` (``chart_steps``)."""
    chart = get_chart(scope, chart_id)
    checked = check_definition(scope, chart.form_id, chart.definition)
    conn = scope.session.connection()
    access = access_for(scope)
    spec = chart_steps.step_spec(
        checked.spec,
        point,
        depth,
        lambda dimension, wanted: chart_conditions.related_ids(conn, access, dimension, wanted),
    )
    return _figures(scope, replace(checked, spec=spec), filters, locale, store)


def chart_file(
    scope: Scope, chart_id: int, filters: dict, locale: str, store: Store
) -> tuple[Chart, bytes]:
    """The chart's figures as an Excel workbook."""
    chart = get_chart(scope, chart_id)
    figures = chart_data(scope, chart_id, filters, locale, store)
    return chart, chart_workbook(figures, locale)


def drill(scope: Scope, chart_id: int, filters: dict, point: dict) -> dict:
    """The condition selecting the records behind the chart's value at ``point``, for the
    records API (which applies the same data scope), and how many there are; for a chart of
    alerts, the alerts themselves (the first ``chart_sources.LISTED``) and how many."""
    chart = get_chart(scope, chart_id)
    checked = check_definition(scope, chart.form_id, chart.definition)
    access = access_for(scope)
    conn = scope.session.connection()
    condition = chart_conditions.drill_condition(
        checked.spec,
        checked.compiled,
        filters,
        point,
        lambda dimension, wanted: chart_conditions.related_ids(conn, access, dimension, wanted),
    )
    count = count_records(conn, checked.compiled, access, condition)
    if checked.source == "alerts":
        # the rows are alerts, which the records API does not list: they come with the answer
        alerts = chart_sources.listed_alerts(conn, checked.compiled, access, condition)
        return {"form_id": checked.form.id, "filter": None, "count": count, "alerts": alerts}
    return {"form_id": checked.form.id, "filter": condition, "count": count}


def _figures(scope: Scope, checked: CheckedChart, filters: dict, locale: str, store: Store):
    access = access_for(scope)
    spec, form_c = checked.spec, checked.compiled
    condition = chart_conditions.chart_condition(spec, form_c, filters)
    key = result_key(_depends_on(scope, checked, filters, locale, access))
    kept = store.get(key)
    if kept is not None:
        return {**kept, "cached": True}
    conn = scope.session.connection()
    compared = chart_conditions.comparison(spec, form_c, filters)
    previous = None
    if compared is None:
        result = aggregate(conn, form_c, spec, access, condition)
    else:  # both periods in one statement, the previous one's totals beside
        both, own, period = compared
        result = aggregate(conn, form_c, spec, access, both, own)
        previous = {
            "totals": result.previous,
            "date_from": period[0].isoformat(),
            "date_to": period[1].isoformat(),
        }
    figures = {
        "dimensions": dimension_headers(spec, form_c, locale),
        "measures": measure_headers(spec, form_c, locale),
        "rows": labelled_rows(
            conn, spec, result.rows, locale, TenantDirectory(scope, access), scope.tenant_id
        ),
        "totals": result.totals,
        "previous": previous,
        "truncated": result.truncated,
        "computed_at": datetime.now(UTC).isoformat(),
    }
    store.put(key, figures)
    return {**figures, "cached": False}


def _depends_on(
    scope: Scope, checked: CheckedChart, filters: dict, locale: str, access: Access
) -> dict:
    """Everything a chart's figures depend on, as JSON-ready parts of its cache key."""
    sources = [generations.form_source(i) for i in checked.form_ids]
    sources += [generations.rule_source(rule.id) for rule in checked.rules.values()]
    return {
        "tenant": scope.tenant_id,
        "form": [checked.form.id, checked.compiled.version],
        "definition": _definition(checked),
        "filters": filters,
        "scope": _data_scope(access),
        "locale": locale,
        "today": access.today.isoformat(),
        "generations": generations.current(scope, sources),
    }


def _definition(checked: CheckedChart) -> dict:
    spec = checked.spec
    return {
        "dimensions": [
            [d.key, *(f.version if f else None for f in (d.target, d.titles))]
            for d in spec.dimensions
        ],
        "measures": [[m.key, m.agg, m.field, m.expr, m.formula, m.label] for m in spec.measures],
        "filter": spec.filter,
        "sort": spec.sort,
        "limit": spec.limit,
        "date_field": spec.date_field,
        "compare": spec.compare,
        "source": checked.source,
        "rules": {key: rule.label for key, rule in checked.rules.items()},
    }


def _data_scope(access: Access) -> dict:
    """What of the viewer decides which records they see."""
    return {
        "kind": access.scope,
        "departments": sorted(access.department_ids) if access.scope == "department" else None,
        "user": access.user_id if access.scope in ("own", "custom") else None,
        "condition": access.condition if access.scope == "custom" else None,
    }
