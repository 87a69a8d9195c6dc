"""Apps as packages: export an app (forms, rules; no data, no secrets) to one JSON document
and import it elsewhere. The expiry template in ``seeds/`` is such a package."""

from __future__ import annotations

from app.auth.roles import create_role, list_roles
from app.auth.scope import Scope
from app.errors import Conflict, ValidationError
from app.forms import apps, forms
from app.models import App, Form, Role, Rule
from app.rules import rules as rules_service

FORMAT = "greenshelf.app/1"


def export_app(scope: Scope, app_id: int) -> dict:
    app = scope.get(App, app_id, "app")
    app_forms = forms.list_forms(scope, app.id)
    app_rules = [r for r in rules_service.list_rules(scope) if r.app_id == app.id]
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
        "roles": [_role_entry(r) for r in list_roles(scope) if r.code in _role_codes(app_rules)],
    }


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
    return app
