"""Compare two versions of a flow, and decide whether a running instance can move between them.

``diff`` compares what two deployed versions store (their nodes and their BPMN): which
nodes and sequence flows were added, removed or changed, with names. ``check_move`` decides
on plain data whether an instance waiting at some nodes can move to a version: each node
it waits at must exist there, under its own id or the one a mapping gives for a renamed
node, and be of the same kind (``flow_engine.moves`` does the move). No databases here.
"""

from __future__ import annotations

from collections.abc import Mapping

from flow_engine.definitions import BPMN_NS, parse_xml
from flow_engine.moves import Position


def _flows(xml: str) -> dict[str, dict]:
    process = parse_xml(xml).find(f"{{{BPMN_NS}}}process")
    found = {}
    for flow in process.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        condition = flow.find(f"{{{BPMN_NS}}}conditionExpression")
        found[flow.get("id")] = {
            "name": flow.get("name") or flow.get("id"),
            "source": flow.get("sourceRef"),
            "target": flow.get("targetRef"),
            "condition": (condition.text or "").strip() if condition is not None else None,
        }
    return found


def _compare(old: Mapping[str, dict], new: Mapping[str, dict]) -> dict[str, list[dict]]:
    def entry(key: str, item: dict) -> dict:
        return {"id": key, "name": item.get("name") or key, "type": item.get("type")}

    changed = []
    for key in old.keys() & new.keys():
        fields = sorted(old[key].keys() | new[key].keys())
        changes = {
            f: [old[key].get(f), new[key].get(f)]
            for f in fields
            if old[key].get(f) != new[key].get(f)
        }
        if changes:
            changed.append({**entry(key, new[key]), "changes": changes})
    return {
        "added": [entry(k, new[k]) for k in sorted(new.keys() - old.keys())],
        "removed": [entry(k, old[k]) for k in sorted(old.keys() - new.keys())],
        "changed": sorted(changed, key=lambda c: c["id"]),
    }


def diff(old_nodes: dict, old_xml: str, new_nodes: dict, new_xml: str) -> dict:
    """Nodes and sequence flows added, removed and changed from one version to the next."""
    return {
        "nodes": _compare(old_nodes, new_nodes),
        "flows": _compare(_flows(old_xml), _flows(new_xml)),
    }


def check_move(
    positions: list[Position], new_nodes: Mapping[str, dict], mapping: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """(node id -> node id in the new version, reasons it cannot move); no reasons: it can."""
    moves, reasons = {}, []
    for position in positions:
        target = mapping.get(position.node_id, position.node_id)
        node = new_nodes.get(target)
        if node is None:
            if target == position.node_id:
                reasons.append(
                    f"It waits at '{position.node_name}' ({position.node_id}), which the new "
                    "version does not have; map it to a node of the new version."
                )
            else:
                reasons.append(
                    f"'{position.node_id}' is mapped to '{target}', which the new version "
                    "does not have."
                )
        elif node.get("type") != position.node_type:
            reasons.append(
                f"It waits at '{position.node_name}' ({position.node_type}) but "
                f"'{target}' in the new version is a {node.get('type')}."
            )
        else:
            moves[position.node_id] = target
    return moves, reasons
