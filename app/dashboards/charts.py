"""Use cases on charts: list, read, create, change and delete them, each definition checked
against its form (and the forms and rules it reads) when it is saved.

A chart belongs to an app (its form's, unless said otherwise) so that it travels with the
app's package. A chart that a dashboard shows cannot be deleted: the answer names them.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.scope import Scope
from app.dashboards.keys import claim_key, new_key, rekey
from app.errors import Conflict, ValidationError
from app.forms.forms import compiled, compiled_by_key
from app.models import App, Chart, Dashboard, Form, Rule
from app.rules.rules import list_rules, published_definition
from form_engine.chart_definition import ChartSpec, check_chart
from form_engine.chart_sources import alert_rows, source_of
from form_engine.compiled import CompiledForm

EDITABLE = ("label", "definition", "form_id", "app_id")


@dataclass(frozen=True)
class CheckedChart:
    """A definition checked against its published form, with what it reads."""

    form: Form
    compiled: CompiledForm
    spec: ChartSpec
    #: the warning rules it reads, by key: those its level dimensions name, or every rule
    #: watching the form for a chart of their alerts
    rules: dict[str, Rule]
    #: the ids of the forms it reads: its own and those its relations point at
    form_ids: list[int]
    #: what of the form it reads (None: its records; "alerts": the alerts on them)
    source: str | None = None


def list_charts(scope: Scope, app_id: int | None = None, form_id: int | None = None):
    stmt = scope.select(Chart).order_by(Chart.id)
    if app_id is not None:
        stmt = stmt.where(Chart.app_id == app_id)
    if form_id is not None:
        stmt = stmt.where(Chart.form_id == form_id)
    return list(scope.session.scalars(stmt))


def get_chart(scope: Scope, chart_id: int) -> Chart:
    return scope.get(Chart, chart_id, "chart")


def rules_watching(scope: Scope, form_key: str) -> dict[str, Rule]:
    """The live warning rules whose definition (published or draft) names the form."""
    found = {}
    for rule in list_rules(scope):
        named = {(published_definition(scope, rule) or {}).get("form"), rule.draft.get("form")}
        if form_key in named:
            found[rule.key] = rule
    return found


def check_definition(scope: Scope, form_id: int, definition, path: str = "definition"):
    """The definition checked against the form (or the source it names, read through the
    form), or ValidationError with paths under ``path``."""
    form, form_c = compiled(scope, form_id)
    alerts = source_of(definition) == "alerts"
    rules = rules_watching(scope, form.key) if alerts or _names_levels(definition) else {}
    if alerts:  # the alerts of the rules watching the form, one row each
        dialect = scope.session.get_bind().dialect.name
        watching = {key: (rule.id, rule.label) for key, rule in rules.items()}
        form_c = alert_rows(form_c, form.id, watching, dialect)
    try:
        spec = check_chart(
            definition,
            form_c,
            lambda key: compiled_by_key(scope, key),
            {} if alerts else {key: rule.label for key, rule in rules.items()},
        )
    except ValidationError as exc:
        errors = {_under(path, p): msgs for p, msgs in exc.errors.items()}
        first = next(iter(errors))
        raise ValidationError(
            f"The chart is not valid: {first}: {errors[first][0]}", errors
        ) from None
    keys = {d.target.form_key for d in spec.dimensions if d.target is not None}
    keys |= {d.titles.form_key for d in spec.dimensions if d.titles is not None}
    others = scope.session.scalars(scope.select(Form, Form.id).where(Form.key.in_(keys)))
    return CheckedChart(
        form=form,
        compiled=form_c,
        spec=spec,
        rules=rules if alerts else {d.rule: rules[d.rule] for d in spec.dimensions if d.rule},
        form_ids=sorted({form.id, *others}),
        source="alerts" if alerts else None,
    )


def _names_levels(definition) -> bool:
    """Whether a definition groups by an alert level (only then are the rules read)."""
    dimensions = definition.get("dimensions") if isinstance(definition, dict) else None
    items = dimensions if isinstance(dimensions, list) else []
    return any(isinstance(item, dict) and "alert_level" in item for item in items)


def _under(prefix: str, path: str) -> str:
    return prefix if path == "$" else f"{prefix}.{path}"


def create_chart(scope: Scope, data: dict) -> Chart:
    form = scope.get(Form, data["form_id"], "form")
    check_definition(scope, form.id, data["definition"])
    key = claim_key(scope, Chart, data.get("key") or new_key("chart"), "chart")
    app_id = data.get("app_id") or form.app_id
    scope.get(App, app_id, "app")
    chart = scope.add(
        Chart(
            key=key,
            label=data["label"],
            app_id=app_id,
            form_id=form.id,
            definition=data["definition"],
            created_by=scope.user.id if scope.user else None,
        )
    )
    scope.session.commit()
    return chart


def update_chart(scope: Scope, chart_id: int, data: dict) -> Chart:
    chart = get_chart(scope, chart_id)
    rekey(scope, chart, data, "chart")
    form_id = data.get("form_id", chart.form_id)
    if "definition" in data or form_id != chart.form_id:
        scope.get(Form, form_id, "form")
        check_definition(scope, form_id, data.get("definition", chart.definition))
    if data.get("app_id") is not None:
        scope.get(App, data["app_id"], "app")
    for name in EDITABLE:
        if data.get(name) is not None:
            setattr(chart, name, data[name])
    scope.session.commit()
    return chart


def delete_chart(scope: Scope, chart_id: int) -> None:
    """Delete a chart no dashboard shows (409 naming those that do)."""
    chart = get_chart(scope, chart_id)
    using = dashboards_showing(scope, chart.id)
    if using:
        names = ", ".join(f"'{_text(d.label) or d.key}'" for d in using)
        raise Conflict(
            f"This chart is on the dashboards {names}: take it off them first.",
            {"dashboards": [d.key for d in using]},
            code="chart_in_use",
            details={"dashboards": [{"id": d.id, "key": d.key, "label": d.label} for d in using]},
        )
    scope.session.delete(chart)
    scope.session.commit()


def dashboards_showing(scope: Scope, chart_id: int) -> list[Dashboard]:
    dashboards = scope.session.scalars(scope.select(Dashboard).order_by(Dashboard.id))
    return [d for d in dashboards if any(i.get("chart_id") == chart_id for i in d.layout)]


def _text(label) -> str:
    if isinstance(label, dict):
        return label.get("zh") or label.get("en") or ""
    return str(label or "")
