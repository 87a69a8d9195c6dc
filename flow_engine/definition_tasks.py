"""The ``gs:`` settings of a flow's start event, user tasks and service tasks, checked
against the bound form and the tenant's catalogue and turned into the node a flow version
stores.

Each check adds what it finds to a ``Problems`` list and returns the node's settings; a
setting left at its default is not stored. Which elements a flow may hold is checked in
``flow_engine.definition_elements``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from engine_errors import ValidationError
from flow_engine import actions, approvals, assignment, timers
from flow_engine.definition_xml import GS_NS, Problems, gs_attribute

MODES = approvals.MODES
PERMISSIONS = ("editable", "readonly", "hidden")
ACTIONS = tuple(actions.action_names())


@dataclass(frozen=True)
class FormFacts:
    """What a flow may name on its bound form."""

    key: str
    fields: Mapping[str, str]  # field key -> expression type
    user_fields: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Catalogue:
    """The tenant's role codes, published forms (key -> field types), connectors (key ->
    actions) and flow keys, which service actions may name (None: not checked at deploy)."""

    roles: frozenset[str] | None = None
    forms: Mapping[str, Mapping[str, str]] | None = None
    connectors: Mapping[str, frozenset[str]] | None = None
    flows: Mapping[str, str] | None = None  # flow key -> key of its bound form


def user_task(element, form: FormFacts, catalogue: Catalogue, problems: Problems) -> dict:
    """A user task's form, mode, assignee and policies."""
    node_id = element.get("id")
    form_key = gs_attribute(element, "form")
    if not form_key:
        problems.add(node_id, "Set gs:form: the form this step shows.")
    elif form_key != form.key:
        problems.add(node_id, f"gs:form is '{form_key}' but this flow is bound to '{form.key}'.")
    mode = gs_attribute(element, "mode") or "any"
    if mode not in MODES:
        problems.add(node_id, f"gs:mode must be one of {', '.join(MODES)}.")
    node = {"form": form_key, "mode": mode, "assignee": gs_attribute(element, "assignee")}
    checks = {
        "ratio": lambda: _ratio(element) if mode == "ratio" else None,
        "empty": lambda: assignment.check_empty_policy(gs_attribute(element, "empty")),
        "self": lambda: _self_policy(gs_attribute(element, "self")),
        "actions": lambda: _actions(gs_attribute(element, "actions")),
        "comment_required": lambda: approvals.parse_actions(
            gs_attribute(element, "commentRequired") or ""
        ),
        "fields": lambda: field_permissions(gs_attribute(element, "fields"), form),
    }
    for key, read in checks.items():
        try:
            value = read()
        except ValidationError as exc:
            problems.add(node_id, exc.message)
            continue
        if value or key == "empty":  # a setting left at its default is not stored
            node[key] = value
    if node.get("self") == "approve":
        del node["self"]
    try:
        assignment.check(node["assignee"], form.user_fields, catalogue.roles, form.fields)
    except ValidationError as exc:
        problems.add(node_id, exc.message)
    return node


def _ratio(element) -> str:
    text = gs_attribute(element, "ratio")
    approvals.parse_ratio(text)
    return text


def _self_policy(text: str | None) -> str:
    policy = text or "approve"
    if policy not in assignment.SELF_POLICIES:
        raise ValidationError(f"gs:self must be one of {', '.join(assignment.SELF_POLICIES)}.")
    return policy


def _actions(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [a for a in approvals.parse_actions(text) if a != "approve"]


def field_permissions(text: str | None, form: FormFacts) -> dict[str, str]:
    """'qty:editable note:hidden' as {field: permission}, checked against the form."""
    permissions: dict[str, str] = {}
    known = set(form.fields) | set(form.user_fields)
    for item in (i for i in re.split(r"[\s,]+", text or "") if i):
        key, _, permission = item.partition(":")
        if permission not in PERMISSIONS:
            raise ValidationError(f"gs:fields: '{item}' is not <field>:{'|'.join(PERMISSIONS)}.")
        if key not in known:
            raise ValidationError(f"gs:fields: the form has no field '{key}'.")
        permissions[key] = permission
    return permissions


def timeout(element, problems: Problems) -> dict:
    """A user task's timeout settings (flow_engine.timers), if it has any."""
    names = ("timeout", "onTimeout", "remindEvery", "remindCount", "escalateTo")
    found_timeout, found = timers.parse_timeout(*(gs_attribute(element, n) for n in names))
    for name, message in found.items():
        problems.add(element.get("id"), f"gs:{name}: {message}")
    return {"timeout": found_timeout.to_node()} if found_timeout else {}


def start_event(element, form: FormFacts, catalogue: Catalogue, problems: Problems) -> dict:
    """The flow's administrators and whether a repeated approver is asked again."""
    node: dict = {}
    admins = gs_attribute(element, "admins")
    if admins:
        try:
            assignment.check(admins, form.user_fields, catalogue.roles, form.fields)
            node["admins"] = admins
        except ValidationError as exc:
            problems.add(element.get("id"), f"gs:admins: {exc.message}")
    dedupe = gs_attribute(element, "dedupe") or "false"
    if dedupe not in {"true", "false"}:
        problems.add(element.get("id"), "gs:dedupe is true or false.")
    node["dedupe"] = dedupe == "true"
    return node


def service_task(element, form: FormFacts, catalogue: Catalogue, problems: Problems) -> dict:
    """A service task's registered action and its inputs, checked against the action."""
    node_id = element.get("id")
    action = gs_attribute(element, "action")
    raw = element.get(f"{{{GS_NS}}}inputs")
    try:
        inputs = json.loads(raw) if raw else {}
    except ValueError:
        problems.add(f"{node_id}.inputs", "gs:inputs must be a JSON object.")
        return {"action": action, "inputs": {}}
    assignee, message = gs_attribute(element, "assignee"), element.get(f"{{{GS_NS}}}message")
    if isinstance(inputs, dict) and action in ("cc", "notify"):
        inputs = {**({"to": assignee} if assignee else {}), **inputs}
        inputs = {**({"message": message} if message else {}), **inputs}
    context = actions.ActionContext(
        form.key,
        form.fields,
        form.user_fields,
        catalogue.roles,
        catalogue.forms,
        catalogue.connectors,
        catalogue.flows,
    )
    checked, found = actions.check_inputs(action, inputs, context)
    for where, message_text in found.items():
        problems.add(node_id if where == "action" else f"{node_id}.{where}", message_text)
    node = {"action": action, "inputs": checked}
    if action in ("cc", "notify"):
        node.update(assignee=checked.get("to"), message=checked.get("message") or "")
    return node
