"""Checks of what a rule names in the tenant: people, roles, connectors and flows its
actions use, and the related forms its thresholds are read from.

Run when a rule is published or previewed, beside the checks of the definition itself,
so every problem comes back at once under its path (``actions.red.0.assignee.user``).
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.scope import Scope
from app.models import Connector, FlowDefinition, Form, Role, User
from app.rules.definition import each_action
from form_engine.compiled import CompiledForm

ROBOTS = ("dingtalk_robot", "wecom_robot")
SMS = ("sms_gateway", "aliyun_sms")


def reference_problems(
    scope: Scope, definition: dict, form: CompiledForm | None, problems: dict, forms_by_key
) -> None:
    """Add a problem for each action naming something that is not there (or not usable)."""
    for level, i, action in each_action(definition):
        path = f"actions.{level}.{i}"
        for key in ("assignee", "recipients"):
            if isinstance(action.get(key), dict):
                _person(scope, action[key], form, f"{path}.{key}", problems)
        if isinstance(action.get("connector"), str):
            _connector(scope, action["connector"], f"{path}.connector", problems)
        if "sms" in (action.get("channels") or []):
            _sms(scope, action, path, problems)
        if action.get("type") == "start_flow" and isinstance(action.get("flow"), str):
            _flow(scope, action, path, problems, forms_by_key)
        initiator = action.get("initiator")
        if isinstance(initiator, dict) and isinstance(initiator.get("user"), int):
            _user(scope, initiator["user"], f"{path}.initiator.user", problems)
    if isinstance(definition.get("thresholds_from"), dict) and form is not None:
        _thresholds(definition["thresholds_from"], form, problems, forms_by_key)


def _thresholds(spec: dict, form: CompiledForm, problems: dict, forms_by_key) -> None:
    """The path's relation fields lead to a form whose two threshold fields are numbers."""
    current = form
    for i, key in enumerate(spec.get("path") or []):
        field = current.fields.get(key)
        if field is None or field["type"] != "relation":
            message = f"'{key}' is not a relation field of the form '{current.form_key}'."
            _add(problems, f"thresholds_from.path.{i}", message)
            return
        target = forms_by_key(field["relation"]["form"])
        if target is None:
            _add(
                problems,
                f"thresholds_from.path.{i}",
                f"No published form '{field['relation']['form']}'.",
            )
            return
        current = target
    for side in ("red", "yellow"):
        name = spec.get(side)
        if current.expression_types.get(name) not in ("integer", "decimal"):
            message = f"'{name}' is not a number field of the form '{current.form_key}'."
            _add(problems, f"thresholds_from.{side}", message)


def _add(problems: dict, path: str, message: str) -> None:
    problems.setdefault(path, []).append(message)


def _user(scope: Scope, user_id: int, path: str, problems: dict) -> None:
    user = scope.session.scalar(scope.select(User).where(User.id == user_id))
    if user is None or user.deleted_at is not None or not user.is_active:
        _add(problems, path, f"No active user with id {user_id}.")


def _person(scope: Scope, spec: dict, form: CompiledForm | None, path: str, problems) -> None:
    if isinstance(spec.get("user"), int):
        _user(scope, spec["user"], f"{path}.user", problems)
    if isinstance(spec.get("role"), str):
        found = scope.session.scalar(scope.select(Role, Role.id).where(Role.code == spec["role"]))
        if found is None:
            _add(problems, f"{path}.role", f"No role with code '{spec['role']}'.")
    if isinstance(spec.get("field"), str) and form is not None:
        field = form.fields.get(spec["field"])
        if field is None:
            _add(problems, f"{path}.field", f"The form has no field '{spec['field']}'.")
        elif field.get("type") != "user":
            _add(problems, f"{path}.field", f"'{spec['field']}' is not a user field.")


def _connector(scope: Scope, key: str, path: str, problems: dict) -> None:
    connector = scope.session.scalar(scope.select(Connector).where(Connector.key == key))
    if connector is None:
        _add(problems, path, f"No connector '{key}'.")
    elif connector.type not in ROBOTS:
        _add(problems, path, f"'{key}' is a {connector.type} connector, not a group robot.")


def _sms(scope: Scope, action: dict, path: str, problems: dict) -> None:
    key, where = action.get("sms_connector"), f"{path}.sms_connector"
    if not isinstance(key, str):
        _add(problems, where, "Choose the SMS connector that sends the texts.")
        return
    connector = scope.session.scalar(scope.select(Connector).where(Connector.key == key))
    if connector is None:
        _add(problems, where, f"No connector '{key}'.")
    elif connector.type not in SMS:
        _add(problems, where, f"'{key}' is a {connector.type} connector, not SMS.")
    elif connector.type == "aliyun_sms" and not action.get("sms_template"):
        _add(problems, f"{path}.sms_template", "Aliyun SMS sends approved templates: name one.")


def _flow(scope: Scope, action: dict, path: str, problems: dict, forms_by_key) -> None:
    key = action["flow"]
    flow = scope.session.scalar(scope.select(FlowDefinition).where(FlowDefinition.key == key))
    if flow is None:
        _add(problems, f"{path}.flow", f"No flow '{key}'.")
        return
    if flow.latest_version is None:
        _add(problems, f"{path}.flow", f"The flow '{key}' is not deployed.")
    form_key = scope.session.scalar(select(Form.key).where(Form.id == flow.form_id))
    target = forms_by_key(form_key) if form_key else None
    if target is None or not isinstance(action.get("mapping"), dict):
        return
    for name in action["mapping"]:
        if name not in target.fields:
            _add(
                problems,
                f"{path}.mapping.{name}",
                f"The flow's form '{form_key}' has no field '{name}'.",
            )
