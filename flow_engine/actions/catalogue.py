"""The registered service actions and the inputs each one takes.

    cc               copy people in (``to``)
    notify           tell people in-app and/or by email (``to``, ``title``, ``message``,
                     ``channels``)
    record.create    add a record to a form (``form``, ``values``)
    record.update    change the flow's record, or a record of another form whose id a
                     field of the flow's record holds (``form``, ``record``, ``values``)
    stock.allocate   take ``quantity`` from the ``field`` of the rows of ``form`` that
                     match ``where``, in ``order_by`` order (FEFO when ordered by expiry);
                     where a ledger keeps ``field``, by writing one move of the form
                     ``ledger`` per row, with the values ``move`` maps (kind, reference)
    connector.call   call a connector's action through the delivery log (``connector``,
                     ``action``, ``payload``)
    flow.start       start another flow on a new record of its form (``flow``, ``values``)

A "deferred" action changes data or calls out, so it can fail: its service task waits
until the action succeeded (retried with backoff, then an incident an administrator can
retry). cc and notify only write messages and run as the flow passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine_errors import ValidationError
from flow_engine.actions.inputs import CHANNELS, CHECKS, ActionContext, Input


@dataclass(frozen=True)
class Action:
    name: str
    inputs: tuple[Input, ...]
    deferred: bool = True


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("cc", (Input("to", "assignee", required=True),), deferred=False),
        Action(
            "notify",
            (
                Input("to", "assignee", required=True),
                Input("title", "text"),
                Input("message", "text"),
                Input("channels", "channels", default=["in_app"]),
            ),
            deferred=False,
        ),
        Action(
            "record.create",
            (
                Input("form", "form", required=True),
                Input("values", "mapping", required=True, target="form"),
            ),
        ),
        Action(
            "record.update",
            (
                Input("form", "form"),
                Input("record", "field"),
                Input("values", "mapping", required=True, target="form"),
            ),
        ),
        Action(
            "stock.allocate",
            (
                Input("form", "form", required=True),
                Input("field", "field", required=True, target="form", options=("numeric",)),
                Input("quantity", "quantity", required=True),
                Input("where", "condition", target="form"),
                Input("order_by", "field", target="form", options=("descending",)),
                Input("ledger", "form"),
                Input("move", "mapping", target="ledger"),
            ),
        ),
        Action(
            "connector.call",
            (
                Input("connector", "connector", required=True),
                Input("action", "connector_action", required=True, target="connector"),
                Input("payload", "json", default={}),
            ),
        ),
        Action(
            "flow.start",
            (
                Input("flow", "flow", required=True),
                Input("values", "mapping", default={}, target="flow"),
            ),
        ),
    )
}


def action_names() -> list[str]:
    return list(ACTIONS)


def check_inputs(name: Any, inputs: Any, ctx: ActionContext) -> tuple[dict, dict[str, str]]:
    """(inputs with defaults, problems keyed ``action`` or ``inputs.<name>``)."""
    action = ACTIONS.get(name) if isinstance(name, str) else None
    if action is None:
        return {}, {"action": f"Unknown action '{name}': one of {', '.join(ACTIONS)}."}
    if not isinstance(inputs, dict):
        return {}, {"inputs": "The inputs are a JSON object."}
    problems: dict[str, str] = {}
    known = {i.name for i in action.inputs}
    for extra in sorted(set(inputs) - known):
        problems[f"inputs.{extra}"] = f"'{name}' takes no input '{extra}'."
    checked: dict = {}
    for spec in action.inputs:
        value = inputs.get(spec.name)
        if value is None or value == "":
            if spec.required:
                problems[f"inputs.{spec.name}"] = "Required."
            elif spec.default is not None:
                checked[spec.name] = spec.default
            continue
        try:
            checked[spec.name] = CHECKS[spec.kind](value, spec, ctx, inputs)
        except ValidationError as exc:
            problems[f"inputs.{spec.name}"] = exc.message
    if name == "record.update" and inputs.get("form") not in (None, ctx.form_key):
        if not inputs.get("record"):
            problems["inputs.record"] = (
                "Name the field of this flow's record that holds the other record's id."
            )
    if name == "notify" and "email" in checked.get("channels", ()):
        checked["channels"] = [c for c in CHANNELS if c in checked["channels"]]
    return checked, problems


def deferred_nodes(nodes: Mapping[str, dict]) -> frozenset[str]:
    """The service tasks of a flow version whose action waits for its outcome."""
    return frozenset(
        node_id
        for node_id, node in nodes.items()
        if node.get("type") == "serviceTask"
        and node.get("action") in ACTIONS
        and ACTIONS[node["action"]].deferred
    )
