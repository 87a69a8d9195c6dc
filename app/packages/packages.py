"""Apps as packages: export an app (forms, rules, charts and dashboards; no data, no secrets)
to one JSON document and import it elsewhere. The expiry template in ``seeds/`` is such a
package. Inside it forms, rules and charts are named by key and roles by code, never by id."""

from __future__ import annotations

from app.auth.roles import create_role, list_roles
from app.auth.scope import Scope
from app.dashboards import charts as charts_service
from app.dashboards import dashboards as dashboards_service
from app.errors import Conflict, ValidationError
from app.forms import apps, forms
from app.models import App, Chart, Dashboard, Form, Role, Rule
from app.rules import rules as rules_service

FORMAT = "greenshelf.app/1"


def export_app(scope: Scope, app_id: int) -> dict:
    app = scope.get(App, app_id, "app")
    app_forms = forms.list_forms(scope, app.id)
    app_rules = [r for r in rules_service.list_rules(scope) if r.app_id == app.id]
    app_charts = charts_service.list_charts(scope, app_id=app.id)
    app_dashboards = list(
        scope.session.scalars(scope.select(Dashboard).where(Dashboard.app_id == app.id))
    )
    roles = list_roles(scope)
    codes = _role_codes(app_rules) | _dashboard_role_codes(app_dashboards, roles)
    chart_keys = dict(scope.session.execute(scope.select(Chart, Chart.id, Chart.key)).all())
    role_codes = {r.id: r.code for r in roles}
    return {
        "format": FORMAT,
        "app": {
            "key": app.key,
            "label": app.label,
            "description": app.description,
            "icon": app.icon,
        },
        "forms": [
            {
                "key": f.key,
                "label": f.label,
                "meta": {"fields": [x for x in f.draft["fields"] if not x.get("removed")]},
            }
            for f in app_forms
        ],
        "rules": [
            {"key": r.key, "label": r.label, "definition": r.draft, "schedule": r.schedule}
            for r in app_rules
        ],
        "charts": [_chart_entry(scope, c) for c in app_charts],
        "dashboards": [_dashboard_entry(d, chart_keys, role_codes) for d in app_dashboards],
        "roles": [_role_entry(r) for r in roles if r.code in codes],
    }


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


def _role_codes(app_rules: list[Rule]) -> set[str]:
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
    return {
        "code": role.code,
        "name": role.name,
        "description": role.description,
        "permissions": role.permissions,
        "data_scope": role.data_scope,
    }


def _install_roles(scope: Scope, roles: list) -> None:
    """Create the roles the package's rules address; a role with the same code is kept."""
    present = {r.code for r in list_roles(scope)}
    for index, role in enumerate(roles):
        if not isinstance(role, dict) or not isinstance(role.get("code"), str):
            raise ValidationError("Not a GreenShelf app package.", {f"roles.{index}": ["Invalid."]})
        if role["code"] not in present:
            create_role(scope, {k: v for k, v in role.items() if k in _ROLE_KEYS})
            present.add(role["code"])


_ROLE_KEYS = ("code", "name", "description", "permissions", "data_scope")


def _relation_targets(form: dict) -> set[str]:
    return {f["relation"]["form"] for f in form["meta"]["fields"] if f["type"] == "relation"}


def _in_dependency_order(package_forms: list[dict]) -> list[dict]:
    """Forms that others point at come first, so every relation finds its target."""
    ordered, placed, pending = [], set(), list(package_forms)
    keys = {f["key"] for f in package_forms}
    while pending:
        ready = [f for f in pending if (_relation_targets(f) & keys) <= placed | {f["key"]}]
        if not ready:
            raise ValidationError(
                "The forms' relations go round in a circle.", {"forms": [f["key"] for f in pending]}
            )
        for form in ready:
            ordered.append(form)
            placed.add(form["key"])
            pending.remove(form)
    return ordered


def import_app(scope: Scope, package: dict) -> App:
    """Create the app, publish its forms in dependency order, then publish its rules."""
    if not isinstance(package, dict) or package.get("format") != FORMAT:
        raise ValidationError("Not a GreenShelf app package.", {"format": [f"Expected {FORMAT}."]})
    info = package["app"]
    if scope.session.scalar(scope.select(App).where(App.key == info["key"])) is not None:
        raise Conflict(f"An app '{info['key']}' exists already.", {"app.key": ["Already in use."]})
    taken = [
        f["key"]
        for f in package.get("forms", [])
        if scope.session.scalar(scope.select(Form).where(Form.key == f["key"])) is not None
    ]
    if taken:
        raise Conflict("Some forms exist already.", {"forms": taken})
    app = apps.create_app_record(scope, info)
    for form in _in_dependency_order(package.get("forms", [])):
        created = forms.create_form(
            scope, app.id, {"key": form["key"], "label": form["label"], "draft": form["meta"]}
        )
        forms.publish(scope, created.id)
    _install_roles(scope, package.get("roles", []))
    for rule in package.get("rules", []):
        if scope.session.scalar(scope.select(Rule).where(Rule.key == rule["key"])) is not None:
            raise Conflict(f"A rule '{rule['key']}' exists already.", {"rules": [rule["key"]]})
        created = rules_service.create_rule(
            scope,
            {
                "key": rule["key"],
                "label": rule["label"],
                "draft": rule["definition"],
                "schedule": rule.get("schedule", "0 2 * * *"),
                "app_id": app.id,
            },
        )
        rules_service.publish_rule(scope, created.id)
    _install_charts(scope, app, package.get("charts", []))
    _install_dashboards(scope, app, package.get("dashboards", []))
    return app


def _install_charts(scope: Scope, app: App, package_charts: list) -> None:
    """Create the charts on the forms of the same keys (checked as any saved chart)."""
    for index, chart in enumerate(package_charts):
        form = scope.session.scalar(scope.select(Form).where(Form.key == chart.get("form")))
        if form is None:
            raise ValidationError(
                "Not a GreenShelf app package.", {f"charts.{index}.form": ["No such form."]}
            )
        if scope.session.scalar(scope.select(Chart).where(Chart.key == chart["key"])):
            raise Conflict(f"A chart '{chart['key']}' exists already.", {"charts": [chart["key"]]})
        charts_service.create_chart(
            scope,
            {
                "key": chart["key"],
                "label": chart["label"],
                "form_id": form.id,
                "app_id": app.id,
                "definition": chart["definition"],
            },
        )


def _install_dashboards(scope: Scope, app: App, package_dashboards: list) -> None:
    """Create the dashboards with their charts and roles found by key and code."""
    chart_ids = dict(scope.session.execute(scope.select(Chart, Chart.key, Chart.id)).all())
    role_ids = {r.code: r.id for r in list_roles(scope)}
    for index, dashboard in enumerate(package_dashboards):
        taken = scope.session.scalar(
            scope.select(Dashboard).where(Dashboard.key == dashboard["key"])
        )
        if taken is not None:
            raise Conflict(
                f"A dashboard '{dashboard['key']}' exists already.",
                {"dashboards": [dashboard["key"]]},
            )
        missing = [
            i["chart"] for i in dashboard.get("layout", []) if i.get("chart") not in chart_ids
        ]
        if missing:
            raise ValidationError(
                "Not a GreenShelf app package.",
                {f"dashboards.{index}.layout": [f"No chart '{missing[0]}'."]},
            )
        dashboards_service.create_dashboard(
            scope,
            {
                "key": dashboard["key"],
                "label": dashboard["label"],
                "app_id": app.id,
                "layout": [
                    {"chart_id": chart_ids[i["chart"]], **{k: i[k] for k in ("x", "y", "w", "h")}}
                    for i in dashboard.get("layout", [])
                ],
                "filters": dashboard.get("filters") or {},
                "refresh_seconds": dashboard.get("refresh_seconds"),
                **{
                    f"{kind}_role_ids": _roles_named(dashboard, kind, role_ids, index)
                    for kind in ("viewer", "editor")
                },
            },
        )


def _roles_named(dashboard: dict, kind: str, role_ids: dict[str, int], index: int) -> list[int]:
    """The ids of the roles a dashboard is shared with; a role the tenant lacks is refused,
    never dropped (an empty list would share the dashboard with everybody)."""
    codes = dashboard.get(f"{kind}_roles") or []
    missing = [code for code in codes if code not in role_ids]
    if missing:
        raise ValidationError(
            "Not a GreenShelf app package.",
            {f"dashboards.{index}.{kind}_roles": [f"No role with code '{missing[0]}'."]},
        )
    return [role_ids[code] for code in codes]
