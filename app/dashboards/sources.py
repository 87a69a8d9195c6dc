"""What the chart builder may offer a chart over a form besides its records: the sources it
can read (``form_engine.chart_sources``) and the fields each adds, as the server checks
them, so the console never keeps a second copy. Read-only; saving a chart is ``charts``.
"""

from __future__ import annotations

from app.auth.scope import Scope
from app.dashboards.charts import rules_watching
from app.models import Form
from form_engine.chart_sources import alert_fields


def chart_sources(scope: Scope, form_id: int) -> list[dict]:
    """The sources a chart over the form can read, each with the fields it adds: the alerts
    on its records, whose ``alert_rule`` offers the rules watching the form (``rules``
    counts them: without one there are no alerts to chart)."""
    form = scope.get(Form, form_id, "form")
    watching = {key: (rule.id, rule.label) for key, rule in rules_watching(scope, form.key).items()}
    return [{"key": "alerts", "fields": alert_fields(watching), "rules": len(watching)}]
