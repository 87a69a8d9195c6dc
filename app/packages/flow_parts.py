"""Flows in a package: each flow of the app's forms with its latest deployed version (the
simple-designer tree when it was deployed from one, else the BPMN), its form by key and
whether it starts when a record is submitted.

Installing deploys them through the flow services the API uses, so a flow is checked like
any deploy: its form's fields, its roles, its people and the connectors it calls. Every
flow is defined before the first is deployed, so a flow may start another of the package.
"""

from __future__ import annotations

from app.auth.scope import Scope
from app.flows import definitions, triggers
from app.models import FlowDefinition, Form
from app.packages.people import by_username
from app.packages.report import Report


def export_flows(scope: Scope, forms: list[Form]) -> list[dict]:
    keys = {form.id: form.key for form in forms}
    entries = []
    for flow in definitions.list_flows(scope):
        if flow.form_id not in keys:
            continue
        entry = {"key": flow.key, "name": flow.name, "form": keys[flow.form_id]}
        if flow.latest_version is not None:
            version = definitions.get_version(scope, flow.id, flow.latest_version)
            bpmn = None if version.tree else version.bpmn_xml
            tree, bpmn = by_username(scope, version.tree, bpmn)
            entry.update({"tree": tree} if tree is not None else {"bpmn": bpmn})
        entry["on_submit"] = triggers.triggers(scope, flow.id)["on_submit"]
        entries.append(entry)
    return entries


def connector_keys(scope: Scope, forms: list[Form]) -> set[str]:
    """The connectors the latest versions of the app's flows call, BPMN ones included."""
    ids = {form.id for form in forms}
    keys: set[str] = set()
    for flow in definitions.list_flows(scope):
        if flow.form_id not in ids or flow.latest_version is None:
            continue
        version = definitions.get_version(scope, flow.id, flow.latest_version)
        for node in version.nodes.values():
            inputs = node.get("inputs")
            if node.get("action") == "connector.call" and isinstance(inputs, dict):
                if isinstance(inputs.get("connector"), str):
                    keys.add(inputs["connector"])
    return keys


def install_flows(scope: Scope, entries: list[dict], report: Report) -> None:
    """Define every flow, then deploy each and set its start trigger."""
    defined: list[tuple[int, dict, FlowDefinition]] = []
    for index, entry in enumerate(entries):
        path = f"flows.{index}"
        form = scope.session.scalar(scope.select(Form).where(Form.key == entry["form"]))
        if form is None:
            report.problem(f"{path}.form", f"No form '{entry['form']}'.")
            continue
        with report.attempt(scope, path):
            flow = definitions.create_flow(
                scope, {"key": entry["key"], "name": entry["name"], "form_id": form.id}
            )
            defined.append((index, entry, flow))
    for index, entry, flow in defined:
        path = f"flows.{index}"
        deployed = False
        if entry.get("tree") is not None:
            with report.attempt(scope, path):  # the designer's paths start at "tree."
                definitions.deploy_simple(scope, flow.id, entry["tree"])
                deployed = True
        elif entry.get("bpmn"):
            with report.attempt(scope, f"{path}.bpmn"):
                definitions.deploy_bpmn(scope, flow.id, entry["bpmn"])
                deployed = True
        if entry.get("on_submit") and deployed:
            with report.attempt(scope, f"{path}.on_submit"):
                triggers.set_triggers(scope, flow.id, True)
        elif entry.get("on_submit") and not (entry.get("tree") or entry.get("bpmn")):
            report.problem(f"{path}.on_submit", "Only a deployed flow can start on submit.")
        report.create["flows"].append(
            {
                "key": entry["key"],
                "label": entry["name"],
                "form": entry["form"],
                "on_submit": bool(entry.get("on_submit")),
                "deployed": deployed,
            }
        )
