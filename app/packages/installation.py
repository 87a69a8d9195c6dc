"""Installing a package's parts in the order they depend on each other: the app, its
roles, forms (those others point at first), connectors, flows, rules, charts, dashboards,
then sample records.

Each part goes through the service the API uses for it, so it is checked as if a person
had made it in the console. A part that is refused is written down in the report under its
path in the package, and the next part goes on, so a preview shows every problem at once.
Whether to keep what was installed is for the caller (``app.packages.packages``): this
module writes into whatever scope it is given and never decides.
"""

from __future__ import annotations

from croniter import croniter

from app.auth.roles import create_role, list_roles
from app.auth.scope import Scope
from app.dashboards import charts as charts_service
from app.dashboards import dashboards as dashboards_service
from app.forms import apps, forms
from app.models import App, Chart, Form
from app.packages import connector_parts, flow_parts, sample_data
from app.packages.export import ROLE_KEYS
from app.packages.people import flow_people, missing_users
from app.packages.report import Report
from app.rules import rules as rules_service

BOX = ("x", "y", "w", "h")


def install_package(scope: Scope, package: dict, report: Report) -> App | None:
    """Install every part of a package of the right shape; None when the app is there."""
    info = package["app"]
    if scope.session.scalar(scope.select(App).where(App.key == info["key"])) is not None:
        report.keep["app"].append({"key": info["key"], "label": info["label"]})
        report.problem("app.key", "This app is installed already.", conflict=True)
        return None
    app = None
    with report.attempt(scope, "app"):
        app = apps.create_app_record(
            scope, {k: v for k, v in info.items() if v is not None or k in ("key", "label")}
        )
        report.create["app"].append({"key": app.key, "label": app.label})
    if app is None:
        return None
    _check_people(scope, package, report)
    _install_roles(scope, package.get("roles", []), report)
    ordered = _install_forms(scope, app, package.get("forms", []), report)
    connector_parts.install_connectors(scope, package.get("connectors", []), report)
    flow_parts.install_flows(scope, package.get("flows", []), report)
    _install_rules(scope, app, package.get("rules", []), report)
    _install_charts(scope, app, package.get("charts", []), report)
    _install_dashboards(scope, app, package.get("dashboards", []), report)
    sample_data.install_data(scope, package.get("data") or {}, ordered, report)
    return app


def _check_people(scope: Scope, package: dict, report: Report) -> None:
    """Every user the flows and the sample records name must be in the tenant already."""
    refs = {ref for entry in package.get("flows", []) for ref in flow_people(entry)[0]}
    data = package.get("data") or {}
    for form in package.get("forms", []):
        keys = _user_fields(form["meta"]["fields"])
        for row in data.get(form["key"], []):
            refs |= _user_values(row, keys)
    missing = missing_users(scope, refs)
    if missing:
        report.missing_users = missing
        report.problem(
            "users",
            f"The package names users this tenant does not have: {', '.join(missing)}.",
        )


def _user_fields(fields: list) -> dict[str, dict]:
    """User field keys -> {} (or, for a sub-table, its own user fields)."""
    found: dict[str, dict] = {}
    for field in fields:
        if not isinstance(field, dict):
            continue
        if field.get("type") == "user":
            found[field.get("key")] = {}
        elif field.get("type") == "subtable" and isinstance(field.get("fields"), list):
            inner = _user_fields(field["fields"])
            if inner:
                found[field.get("key")] = inner
    return found


def _user_values(row: dict, keys: dict[str, dict]) -> set[str]:
    values: set[str] = set()
    for key, inner in keys.items():
        value = row.get(key)
        if inner and isinstance(value, list):
            for line in value:
                if isinstance(line, dict):
                    values |= _user_values(line, inner)
        elif isinstance(value, str) and value and not inner:
            values.add(value)
    return values


def _install_roles(scope: Scope, roles: list[dict], report: Report) -> None:
    """Create the roles the package's parts address; a role with the same code is kept."""
    present = {r.code for r in list_roles(scope)}
    for index, role in enumerate(roles):
        summary = {"key": role["code"], "label": role["name"]}
        if role["code"] in present:
            report.keep["roles"].append(summary)
            continue
        with report.attempt(scope, f"roles.{index}"):
            create_role(scope, {k: v for k, v in role.items() if k in ROLE_KEYS})
            present.add(role["code"])
            report.create["roles"].append(summary)


def _relation_targets(form: dict) -> set[str]:
    return {
        f["relation"].get("form")
        for f in form["meta"]["fields"]
        if f.get("type") == "relation" and isinstance(f.get("relation"), dict)
    }


def _in_dependency_order(package_forms: list[dict], report: Report) -> list[int]:
    """Indexes of the forms, those that others point at first, so each relation finds its
    target; forms whose relations go round in a circle are refused."""
    ordered: list[int] = []
    placed: set[str] = set()
    pending = list(range(len(package_forms)))
    keys = {f["key"] for f in package_forms}
    while pending:
        ready = [
            i
            for i in pending
            if (_relation_targets(package_forms[i]) & keys) <= placed | {package_forms[i]["key"]}
        ]
        if not ready:
            report.problem(
                "forms",
                "The forms' relations go round in a circle: "
                + ", ".join(package_forms[i]["key"] for i in pending),
            )
            return ordered
        for index in ready:
            ordered.append(index)
            placed.add(package_forms[index]["key"])
            pending.remove(index)
    return ordered


def _install_forms(scope: Scope, app: App, package_forms: list[dict], report: Report) -> list[str]:
    """Create and publish the forms; the keys of those published, in the order written."""
    published = []
    for index in _in_dependency_order(package_forms, report):
        form = package_forms[index]
        created = None
        with report.attempt(scope, f"forms.{index}"):
            created = forms.create_form(
                scope, app.id, {"key": form["key"], "label": form["label"], "draft": form["meta"]}
            )
        if created is None:
            continue
        with report.attempt(scope, f"forms.{index}.meta"):
            forms.publish(scope, created.id)
            published.append(form["key"])
            report.create["forms"].append(
                {"key": form["key"], "label": form["label"], "fields": len(form["meta"]["fields"])}
            )
    return published


def _install_rules(scope: Scope, app: App, package_rules: list[dict], report: Report) -> None:
    for index, rule in enumerate(package_rules):
        path = f"rules.{index}"
        schedule = rule.get("schedule", "0 2 * * *")
        if not croniter.is_valid(schedule):
            report.problem(f"{path}.schedule", "Not a cron expression (e.g. '0 2 * * *').")
            continue
        created = None
        with report.attempt(scope, path):
            created = rules_service.create_rule(
                scope,
                {
                    "key": rule["key"],
                    "label": rule["label"],
                    "draft": rule["definition"],
                    "schedule": schedule,
                    "app_id": app.id,
                },
            )
        if created is None:
            continue
        with report.attempt(scope, f"{path}.definition"):
            rules_service.publish_rule(scope, created.id)
            report.create["rules"].append({"key": rule["key"], "label": rule["label"]})


def _install_charts(scope: Scope, app: App, package_charts: list[dict], report: Report) -> None:
    """Create the charts on the forms of the same keys (checked as any saved chart)."""
    for index, chart in enumerate(package_charts):
        form = scope.session.scalar(scope.select(Form).where(Form.key == chart["form"]))
        if form is None or form.published_version is None:
            report.problem(f"charts.{index}.form", f"No form '{chart['form']}'.")
            continue
        if scope.session.scalar(scope.select(Chart).where(Chart.key == chart["key"])):
            report.problem(
                f"charts.{index}.key", f"A chart '{chart['key']}' exists already.", conflict=True
            )
            continue
        with report.attempt(scope, f"charts.{index}"):
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
            report.create["charts"].append({"key": chart["key"], "label": chart["label"]})


def _install_dashboards(
    scope: Scope, app: App, package_dashboards: list[dict], report: Report
) -> None:
    """Create the dashboards with their charts and roles found by key and code."""
    chart_ids = dict(scope.session.execute(scope.select(Chart, Chart.key, Chart.id)).all())
    role_ids = {r.code: r.id for r in list_roles(scope)}
    for index, dashboard in enumerate(package_dashboards):
        path = f"dashboards.{index}"
        layout = dashboard.get("layout") or []
        problems = len(report.problems)
        for i, item in enumerate(layout):
            if item["chart"] not in chart_ids:
                report.problem(f"{path}.layout.{i}.chart", f"No chart '{item['chart']}'.")
        shared = {}
        for kind in ("viewer", "editor"):
            codes = dashboard.get(f"{kind}_roles") or []
            # a role the tenant lacks is refused, never dropped: an empty list would share
            # the dashboard with everybody
            for i, code in enumerate(codes):
                if code not in role_ids:
                    report.problem(f"{path}.{kind}_roles.{i}", f"No role with code '{code}'.")
            shared[f"{kind}_role_ids"] = [role_ids.get(code) for code in codes]
        if len(report.problems) > problems:
            continue
        with report.attempt(scope, path):
            dashboards_service.create_dashboard(
                scope,
                {
                    "key": dashboard["key"],
                    "label": dashboard["label"],
                    "app_id": app.id,
                    "layout": [
                        {"chart_id": chart_ids[i["chart"]], **{k: i[k] for k in BOX}}
                        for i in layout
                    ],
                    "filters": dashboard.get("filters") or {},
                    "refresh_seconds": dashboard.get("refresh_seconds"),
                    **shared,
                },
            )
            report.create["dashboards"].append(
                {"key": dashboard["key"], "label": dashboard["label"]}
            )
