"""An app as one package file: its forms, flows, rules, charts and dashboards, the roles and
connectors they name (no secrets), and on request its records as sample data.

Inside a package forms, rules, flows, charts and connectors are named by key, roles by
code and users by username, never by id, so the file means the same in another tenant.
"""

from __future__ import annotations

from app.auth.roles import list_roles
from app.auth.scope import Scope
from app.dashboards import charts as charts_service
from app.forms import forms as forms_service
from app.models import App, Chart, Dashboard, Form, Role, Rule
from app.packages import connector_parts, flow_parts, sample_data
from app.packages.people import flow_people
from app.packages.schema import FORMAT
from app.rules import rules as rules_service

ROLE_KEYS = ("code", "name", "description", "permissions", "data_scope", "data_scope_condition")


def export_app(scope: Scope, app_id: int, with_data: bool = False) -> dict:
    app = scope.get(App, app_id, "app")
    app_forms = forms_service.list_forms(scope, app.id)
    app_rules = [r for r in rules_service.list_rules(scope) if r.app_id == app.id]
    app_charts = charts_service.list_charts(scope, app_id=app.id)
    app_dashboards = list(
        scope.session.scalars(scope.select(Dashboard).where(Dashboard.app_id == app.id))
    )
    flows = flow_parts.export_flows(scope, app_forms)
    roles = list_roles(scope)
    codes = (
        _rule_role_codes(app_rules)
        | _dashboard_role_codes(app_dashboards, roles)
        | {code for entry in flows for code in flow_people(entry)[1]}
    )
    connector_keys = connector_parts.rule_connector_keys(
        [r.draft for r in app_rules]
    ) | flow_parts.connector_keys(scope, app_forms)
    chart_keys = dict(scope.session.execute(scope.select(Chart, Chart.id, Chart.key)).all())
    role_codes = {r.id: r.code for r in roles}
    package = {
        "format": FORMAT,
        "app": {
            "key": app.key,
            "label": app.label,
            "description": app.description,
            "icon": app.icon,
        },
        "forms": [{"key": f.key, "label": f.label, "meta": _meta(f)} for f in app_forms],
        "rules": [
            {"key": r.key, "label": r.label, "definition": r.draft, "schedule": r.schedule}
            for r in app_rules
        ],
        "flows": flows,
        "charts": [_chart_entry(scope, c) for c in app_charts],
        "dashboards": [_dashboard_entry(d, chart_keys, role_codes) for d in app_dashboards],
        "roles": [_role_entry(r) for r in roles if r.code in codes],
        "connectors": connector_parts.export_connectors(scope, connector_keys),
    }
    if with_data:
        package["data"] = sample_data.export_data(scope, app_forms)
    return package


def _meta(form: Form) -> dict:
    """The form's draft without the fields removed from it (their data stays behind)."""
    return {**form.draft, "fields": [f for f in form.draft["fields"] if not f.get("removed")]}


def _chart_entry(scope: Scope, chart: Chart) -> dict:
    form = scope.get(Form, chart.form_id, "form")
    return {
        "key": chart.key,
        "label": chart.label,
        "form": form.key,
        "definition": chart.definition,
    }


def _dashboard_entry(dashboard: Dashboard, chart_keys: dict, codes: dict) -> dict:
    """A dashboard with its charts named by key and its roles by code."""
    return {
        "key": dashboard.key,
        "label": dashboard.label,
        "layout": [
            {"chart": chart_keys[item["chart_id"]], **{k: item[k] for k in ("x", "y", "w", "h")}}
            for item in dashboard.layout
            if item["chart_id"] in chart_keys
        ],
        "filters": dashboard.filters,
        "refresh_seconds": dashboard.refresh_seconds,
        "viewer_roles": [codes[i] for i in dashboard.viewer_role_ids if i in codes],
        "editor_roles": [codes[i] for i in dashboard.editor_role_ids if i in codes],
    }


def _dashboard_role_codes(app_dashboards: list[Dashboard], roles: list[Role]) -> set[str]:
    """The codes of the roles the dashboards are shared with."""
    ids = {i for d in app_dashboards for i in (*d.viewer_role_ids, *d.editor_role_ids)}
    return {r.code for r in roles if r.id in ids}


def _rule_role_codes(app_rules: list[Rule]) -> set[str]:
    """The role codes the rules' actions address (assignees, recipients)."""
    codes: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("role"), str):
                codes.add(node["role"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for rule in app_rules:
        walk(rule.draft)
    return codes


def _role_entry(role: Role) -> dict:
    entry = {key: getattr(role, key) for key in ROLE_KEYS}
    if entry["data_scope_condition"] is None:
        del entry["data_scope_condition"]
    return entry
