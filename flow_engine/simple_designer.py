"""The simple (DingTalk-style) designer: a tree of nodes compiled to BPMN with a diagram.

A tree starts with the initiator; every node has at most one ``child``, the node after it:

    {"type": "initiator", "admins": <assignment>, "dedupe": true | false, "child": ...}
    {"type": "approver", "name": ..., "assignee": "role:director",
     "mode": "any" | "all" | "ratio" | "sequential", "ratio": "2/3",
     "empty": "refuse" | "auto_approve" | "auto_reject" | "admins" | "user:<ref>",
     "self": "approve" | "skip" | "dept_head", "actions": ["reject", "return", ...],
     "comment_required": ["reject", "return"], "fields": {"qty": "editable", ...},
     "reject_to": <id of another node>, "timeout": {"after": "PT4H", "action": "remind" |
     "escalate" | "auto_approve" | "auto_reject", "every": ..., "count": ..., "to": ...},
     "child": ...}
    {"type": "branch", "branches": [{"name": ..., "condition": <expression> | null,
                                     "child": <chain>}, ...], "child": ...}
    {"type": "parallel", "branches": [{"name": ..., "child": <chain>}, ...], "child": ...}
    {"type": "cc", "name": ..., "assignee": ..., "child": ...}
    {"type": "action", "name": ..., "action": "notify", "assignee": ..., "message": ...,
     "inputs": {...}, "child": ...}      (any action of flow_engine.actions, its inputs)
    {"type": "delay", "name": ..., "duration": "PT2H", "child": ...}
    {"type": "end"}

A condition branch runs the first branch whose condition holds; the one branch whose
condition is null is "otherwise" (without one, a record matching no branch goes straight
on). Any node may carry an ``id`` (letters, digits, _ and -), which becomes its BPMN id;
the others get generated ids. An approver's settings become the ``gs:`` attributes that
``flow_engine.definitions`` documents (its ``reject_to`` becomes a reject-path flow to the
node with that id; without it a rejection ends the flow). ``compile_tree`` checks the shape
of the tree; the BPMN it returns is then validated like any uploaded BPMN, and ``paths``
maps each BPMN id back to the tree path so errors can point at the node.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from engine_errors import ValidationError
from flow_engine import approvals, assignment
from flow_engine.definitions import BPMN_NS, BPMNDI_NS, GS_NS
from flow_engine.layout import Box, Layout, laid_out_branches, route
from flow_engine.timers import parse_duration

DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"bpmn": BPMN_NS, "bpmndi": BPMNDI_NS, "dc": DC_NS, "di": DI_NS, "xsi": XSI_NS, "gs": GS_NS}
ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,63}$")
CHAIN_TYPES = ("approver", "branch", "parallel", "cc", "action", "delay", "end")
MAX_NODES = 500
DEFAULT_NAMES = {
    "approver": "审批人",
    "cc": "抄送人",
    "action": "自动操作",
    "delay": "延时",
    "end": "结束",
}
TIMEOUT_KEYS = {  # an approver's "timeout" object -> gs: attributes
    "after": "timeout",
    "action": "onTimeout",
    "every": "remindEvery",
    "count": "remindCount",
    "to": "escalateTo",
}


@dataclass
class Compiled:
    xml: str
    paths: dict[str, str] = field(default_factory=dict)


class _Builder:
    def __init__(self, form_key: str) -> None:
        self.form_key = form_key
        self.errors: dict[str, list[str]] = {}
        self.taken: set[str] = set()
        self.paths: dict[str, str] = {}
        self.elements: list[tuple[str, str, dict]] = []  # (tag, id, attributes)
        self.flows: list[dict] = []
        self.reject_paths: list[tuple[str, Any, str]] = []  # (task, target id, tree path)
        self.defaults: dict[str, str] = {}
        self.timers: dict[str, str] = {}  # timer event id -> its ISO 8601 duration
        self.layout = Layout()
        self.count = 0

    # ---- shape of the tree -------------------------------------------------------------
    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def collect_ids(self, node: Any, path: str) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise ValidationError(f"A flow has at most {MAX_NODES} nodes.")
        if not isinstance(node, dict):
            return
        if "id" in node:
            if not isinstance(node["id"], str) or not ID.match(node["id"]):
                self.fail(f"{path}.id", "Use letters, digits, _ and -, starting with a letter.")
            elif node["id"] in self.taken:
                self.fail(f"{path}.id", f"'{node['id']}' is used twice.")
            else:
                self.taken.add(node["id"])
        for index, branch in enumerate(node.get("branches") or []):
            if isinstance(branch, dict) and branch.get("child") is not None:
                self.collect_ids(branch["child"], f"{path}.branches.{index}.child")
        if node.get("child") is not None:
            self.collect_ids(node["child"], f"{path}.child")

    def new_id(self, kind: str, node: dict | None = None) -> str:
        if node is not None and isinstance(node.get("id"), str) and ID.match(node["id"]):
            return node["id"]
        n = 1
        while f"{kind}_{n}" in self.taken:
            n += 1
        self.taken.add(f"{kind}_{n}")
        return f"{kind}_{n}"

    def text(self, node: dict, key: str, path: str, required: bool = False) -> str | None:
        value = node.get(key)
        if value is None or value == "":
            if required:
                self.fail(f"{path}.{key}", "Required.")
            return None
        if not isinstance(value, str) or len(value) > 2000:
            self.fail(f"{path}.{key}", "Text of at most 2000 characters.")
            return None
        return value

    # ---- emitting elements and flows ----------------------------------------------------
    def element(self, tag: str, element_id: str, path: str, box: Box, **attributes) -> str:
        if element_id in self.layout.shapes:
            self.fail(f"{path}.id", f"'{element_id}' is used twice.")
        self.elements.append((tag, element_id, {k: v for k, v in attributes.items() if v}))
        self.paths[element_id] = path
        self.layout.shapes[element_id] = box
        return element_id

    def connect(
        self,
        source: str,
        target: str,
        condition: Any = None,
        name: str | None = None,
        default: bool = False,
        lane: float | None = None,
        where: str | None = None,
        path: str | None = None,
    ) -> str:
        flow_id = f"flow_{len(self.flows) + 1}"
        while flow_id in self.taken:
            flow_id += "_"
        self.taken.add(flow_id)
        self.flows.append(
            {
                "id": flow_id,
                "source": source,
                "target": target,
                "condition": condition,
                "name": name,
                "path": path,
            }
        )
        if default:
            self.defaults[source] = flow_id
        if where:
            self.paths[flow_id] = where
        shapes = self.layout.shapes
        self.layout.edges[flow_id] = route(shapes[source], shapes[target], lane)
        return flow_id


def compile_tree(tree: Any, form_key: str, process_id: str, name: str) -> Compiled:
    """BPMN XML (with a diagram) for a simple-designer tree, or ValidationError by tree path."""
    if not isinstance(tree, dict) or tree.get("type") != "initiator":
        raise ValidationError(
            "A flow starts with the initiator node.",
            {"type": ["The root must be {'type': 'initiator'}."]},
        )
    builder = _Builder(form_key)
    builder.collect_ids(tree, "tree")
    dedupe = tree.get("dedupe")
    if dedupe is not None and not isinstance(dedupe, bool):
        builder.fail("tree.dedupe", "true or false.")
    start = builder.element(
        "startEvent",
        builder.new_id("start", tree),
        "tree",
        builder.layout.event(0, 0),
        name=builder.text(tree, "name", "tree") or "发起人",
        **{
            f"{{{GS_NS}}}admins": builder.text(tree, "admins", "tree"),
            f"{{{GS_NS}}}dedupe": "true" if dedupe else None,
        },
    )
    last, ended = _chain(builder, tree.get("child"), "tree.child", start, 0)
    if not ended:
        end = builder.element(
            "endEvent",
            builder.new_id("end"),
            "tree",
            builder.layout.event(builder.layout.right(last), 0),
            name="结束",
        )
        builder.connect(last, end)
    _reject_paths(builder)
    if builder.errors:
        path, messages = next(iter(builder.errors.items()))
        raise ValidationError(f"{path}: {messages[0]}", builder.errors)
    return Compiled(_document(builder, process_id, name), builder.paths)


def _chain(
    builder: _Builder,
    node: Any,
    path: str,
    previous: str,
    y: float,
    link: dict | None = None,
    inside: bool = False,
) -> tuple[str, bool]:
    """Emit a chain of nodes after ``previous``; returns (last element id, ended).

    ``link`` holds how the first node is reached (a branch's condition, name and lane).
    """
    link = link or {}
    while node is not None:
        if not isinstance(node, dict) or node.get("type") not in CHAIN_TYPES:
            builder.fail(f"{path}.type", f"A node's type is one of {', '.join(CHAIN_TYPES)}.")
            return previous, False
        x = builder.layout.right(previous)
        kind = node["type"]
        if kind in {"branch", "parallel"}:
            previous = _branches(builder, node, path, previous, x, y, link)
        elif kind == "end":
            if inside or node.get("child") is not None:
                builder.fail(path, "The end node can only close the main chain.")
                return previous, False
            end = builder.element(
                "endEvent",
                builder.new_id("end", node),
                path,
                builder.layout.event(x, y),
                name=builder.text(node, "name", path) or DEFAULT_NAMES["end"],
            )
            builder.connect(previous, end, **link)
            return end, True
        elif kind == "delay":
            previous = _delay(builder, node, path, previous, x, y, link)
        else:
            previous = _task(builder, node, path, previous, x, y, link)
        node, path, link = node.get("child"), f"{path}.child", {}
    return previous, False


def _task(
    builder: _Builder, node: dict, path: str, previous: str, x: float, y: float, link: dict
) -> str:
    kind = node["type"]
    name = builder.text(node, "name", path) or DEFAULT_NAMES[kind]
    assignee = builder.text(node, "assignee", path, required=kind != "action")
    box = builder.layout.task(x, y)
    if kind == "approver":
        settings = _approver_settings(builder, node, path)
        settings.update(form=builder.form_key, assignee=assignee)
        settings.update(_timeout(builder, node, path))
        tag, prefix = "userTask", "approve"
    else:
        action = "cc" if kind == "cc" else builder.text(node, "action", path, required=True)
        settings = {
            "action": action,
            "assignee": assignee,
            "message": builder.text(node, "message", path),
            "inputs": _inputs(builder, node, path),
        }
        tag, prefix = "serviceTask", kind
    attributes = {f"{{{GS_NS}}}{k}": v for k, v in settings.items() if isinstance(v, str)}
    task = builder.element(tag, builder.new_id(prefix, node), path, box, name=name, **attributes)
    builder.connect(previous, task, **link)
    if kind == "approver" and node.get("reject_to") is not None:
        builder.reject_paths.append((task, node["reject_to"], f"{path}.reject_to"))
    return task


def _words(builder: _Builder, node: dict, key: str, path: str) -> str | None:
    value = node.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(v, str) and v.isidentifier() for v in value
    ):
        builder.fail(f"{path}.{key}", "A list of action names.")
        return None
    return " ".join(value)


def _permissions(builder: _Builder, node: dict, path: str) -> str | None:
    value = node.get("fields")
    if value is None:
        return None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and k.isidentifier() and isinstance(v, str) and v.isidentifier()
        for k, v in value.items()
    ):
        builder.fail(f"{path}.fields", "An object of field key -> editable, readonly or hidden.")
        return None
    return " ".join(f"{k}:{v}" for k, v in value.items())


def _approver_settings(builder: _Builder, node: dict, path: str) -> dict:
    """The approver's gs: attributes; their values are checked on deploy like any BPMN's."""
    text = {key: builder.text(node, key, path) for key in ("mode", "ratio", "empty", "self")}
    for key, allowed in (("mode", approvals.MODES), ("self", assignment.SELF_POLICIES)):
        if text[key] is not None and text[key] not in allowed:
            builder.fail(f"{path}.{key}", f"One of {', '.join(allowed)}.")
    return {
        **text,
        "mode": text["mode"] or "any",
        "empty": text["empty"] or "refuse",
        "actions": _words(builder, node, "actions", path),
        "commentRequired": _words(builder, node, "comment_required", path),
        "fields": _permissions(builder, node, path),
    }


def _reject_paths(builder: _Builder) -> None:
    """Each approver's reject path, drawn below the diagram to the node it names."""
    shapes = builder.layout.shapes
    bottom = max(box.y + box.h for box in shapes.values()) + builder.layout.vgap
    for task, target, path in builder.reject_paths:
        if not isinstance(target, str) or target not in shapes or target == task:
            builder.fail(path, "The id of another node of this flow.")
        elif builder.elements[[e[1] for e in builder.elements].index(target)][0].endswith(
            "Gateway"
        ):
            builder.fail(path, "A reject path leads to a step, not to a branch.")
        else:
            builder.connect(task, target, name="驳回", lane=bottom, where=path, path="reject")


def _branches(
    builder: _Builder, node: dict, path: str, previous: str, x: float, y: float, link: dict
) -> str:
    kind = node["type"]
    branches = node.get("branches")
    if not isinstance(branches, list) or not 2 <= len(branches) <= 20:
        builder.fail(f"{path}.branches", "Give 2 to 20 branches.")
        return previous
    tag = "exclusiveGateway" if kind == "branch" else "parallelGateway"
    base = builder.new_id(kind, node)
    layout = builder.layout
    otherwise = [b for b in branches if isinstance(b, dict) and b.get("condition") is None]
    if kind == "branch" and len(otherwise) > 1:
        builder.fail(f"{path}.branches", "Only one branch can be 'otherwise' (no condition).")
    branches = laid_out_branches(node)
    sizes = [layout.chain_size(b.get("child") if isinstance(b, dict) else None) for b in branches]
    split = builder.element(
        tag, f"{base}_split", path, layout.gateway(x, y), name=builder.text(node, "name", path)
    )
    builder.connect(previous, split, **link)
    join_x = layout.right(split) + max(w for w, _ in sizes) + layout.gap
    join_box = layout.gateway(join_x, y)
    ends = []
    top = y - layout.stack_height(sizes) / 2
    for index, (branch, (_, height)) in enumerate(zip(branches, sizes, strict=True)):
        bpath = f"{path}.branches.{index}"
        lane, top = top + height / 2, top + height + layout.vgap
        if not isinstance(branch, dict):
            builder.fail(bpath, "A branch is an object with a name, a condition and a child.")
            continue
        condition = branch.get("condition") if kind == "branch" else None
        if condition is not None and not isinstance(condition, dict | bool):
            builder.fail(f"{bpath}.condition", "A condition is an expression object or null.")
        first = {
            "condition": condition,
            "default": kind == "branch" and condition is None,
            "name": builder.text(branch, "name", bpath) or f"分支 {index + 1}",
            "lane": lane,
            "where": f"{bpath}.condition",
        }
        last, _ = _chain(
            builder, branch.get("child"), f"{bpath}.child", split, lane, first, inside=True
        )
        ends.append((last, first))
    join = builder.element(tag, f"{base}_join", path, join_box)
    for last, first in ends:
        if last == split:
            builder.connect(split, join, **first)
        else:
            builder.connect(last, join, lane=first["lane"])
    return join


def _document(builder: _Builder, process_id: str, name: str) -> str:
    root = etree.Element(
        f"{{{BPMN_NS}}}definitions",
        nsmap=NSMAP,
        id=f"Definitions_{process_id}",
        targetNamespace="http://bpmn.io/schema/bpmn",
    )
    process = etree.SubElement(
        root, f"{{{BPMN_NS}}}process", id=process_id, name=name, isExecutable="true"
    )
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for flow in builder.flows:
        outgoing.setdefault(flow["source"], []).append(flow["id"])
        incoming.setdefault(flow["target"], []).append(flow["id"])
    for tag, element_id, attributes in builder.elements:
        element = etree.SubElement(process, f"{{{BPMN_NS}}}{tag}", id=element_id)
        for key, value in attributes.items():
            element.set(key, value)
        if element_id in builder.defaults:
            element.set("default", builder.defaults[element_id])
        for flow_id in incoming.get(element_id, []):
            etree.SubElement(element, f"{{{BPMN_NS}}}incoming").text = flow_id
        for flow_id in outgoing.get(element_id, []):
            etree.SubElement(element, f"{{{BPMN_NS}}}outgoing").text = flow_id
        if element_id in builder.timers:
            timer = etree.SubElement(element, f"{{{BPMN_NS}}}timerEventDefinition")
            duration = etree.SubElement(timer, f"{{{BPMN_NS}}}timeDuration")
            duration.set(f"{{{XSI_NS}}}type", "bpmn:tFormalExpression")
            duration.text = builder.timers[element_id]
    for flow in builder.flows:
        element = etree.SubElement(
            process,
            f"{{{BPMN_NS}}}sequenceFlow",
            id=flow["id"],
            sourceRef=flow["source"],
            targetRef=flow["target"],
        )
        if flow["name"]:
            element.set("name", flow["name"])
        if flow["path"]:
            element.set(f"{{{GS_NS}}}path", flow["path"])
        if flow["condition"] is not None:
            condition = etree.SubElement(element, f"{{{BPMN_NS}}}conditionExpression")
            condition.set(f"{{{XSI_NS}}}type", "bpmn:tFormalExpression")
            condition.text = json.dumps(flow["condition"], ensure_ascii=False)
    builder.layout.write_diagram(root, process_id)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()


def _delay(
    builder: _Builder, node: dict, path: str, previous: str, x: float, y: float, link: dict
) -> str:
    """A delay: an intermediate timer event waiting for ``duration`` (ISO 8601)."""
    duration = builder.text(node, "duration", path, required=True)
    if duration is not None:
        try:
            parse_duration(duration)
        except ValidationError as exc:
            builder.fail(f"{path}.duration", exc.message)
    name = builder.text(node, "name", path) or DEFAULT_NAMES["delay"]
    box = builder.layout.event(x, y)
    delay = builder.element(
        "intermediateCatchEvent", builder.new_id("delay", node), path, box, name=name
    )
    builder.timers[delay] = duration or ""
    builder.connect(previous, delay, **link)
    return delay


def _timeout(builder: _Builder, node: dict, path: str) -> dict:
    """An approver's ``timeout`` object ({"after": "PT4H", "action": "remind", "every": ...,
    "count": ..., "to": ...}) as gs: attributes, checked on deploy."""
    value = node.get("timeout")
    if value is None:
        return {}
    if not isinstance(value, dict) or not set(value) <= set(TIMEOUT_KEYS):
        builder.fail(f"{path}.timeout", f"An object with {', '.join(TIMEOUT_KEYS)}.")
        return {}
    settings = {}
    for key, attribute in TIMEOUT_KEYS.items():
        item = value.get(key)
        if isinstance(item, bool) or not isinstance(item, str | int | type(None)):
            builder.fail(f"{path}.timeout.{key}", "Text or a number.")
        elif item is not None:
            settings[attribute] = str(item)
    return settings


def _inputs(builder: _Builder, node: dict, path: str) -> str | None:
    """An action's inputs as the JSON of its gs:inputs attribute (checked on deploy)."""
    value = node.get("inputs")
    if value is None:
        return None
    if not isinstance(value, dict):
        builder.fail(f"{path}.inputs", "The inputs are an object.")
        return None
    return json.dumps(value, ensure_ascii=False)
