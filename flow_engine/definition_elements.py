"""Which BPMN elements a deployable flow may hold and how they connect: one executable
process, the supported flow nodes, timer events, conditions on gateway branches and reject
paths out of user tasks.

Each check adds what it finds to a ``Problems`` list; none raises for a flow's content. The
``gs:`` settings of user, service and start events are checked in
``flow_engine.definition_tasks``.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from engine_errors import ValidationError
from flow_engine import timers
from flow_engine.definition_xml import (
    BPMN_NS,
    BPMNDI_NS,
    GS_NS,
    Problems,
    gs_attribute,
    local_name,
    owner_id,
)
from flow_engine.script_engine import check_condition

DECISION_SUFFIX = "__decision"  # the gateway a reject path compiles to
RESERVED_IDS = {"Start", "End", "Root"}  # names of SpiffWorkflow's own task specs
TIMER_EVENTS = ("intermediateCatchEvent", "boundaryEvent")

FLOW_NODES = {
    "startEvent",
    "endEvent",
    "userTask",
    "serviceTask",
    "exclusiveGateway",
    "parallelGateway",
    *TIMER_EVENTS,
}
PASSIVE = {
    "sequenceFlow",
    "conditionExpression",
    "incoming",
    "outgoing",
    "documentation",
    "laneSet",
    "lane",
    "childLaneSet",
    "flowNodeRef",
    "textAnnotation",
    "text",
    "association",
    "extensionElements",
    "terminateEventDefinition",
    "timerEventDefinition",
    "timeDuration",
}
LATER = {
    "timeDate": "A timer waits for a duration (timeDuration), not a date.",
    "timeCycle": "A timer waits for a duration (timeDuration), not a cycle.",
    "scriptTask": "Script tasks are not run: use a service task with a registered action.",
    "multiInstanceLoopCharacteristics": "Use gs:mode='all' for a countersign instead.",
    "standardLoopCharacteristics": "Loops are not supported: route back with a gateway.",
}


def find_process(root, problems: Problems):
    """The document's one process; anything else beside it (but the diagram) is a problem."""
    processes = root.findall(f"{{{BPMN_NS}}}process")
    if len(processes) != 1:
        raise ValidationError(
            f"A flow holds exactly one process; this document has {len(processes)}."
        )
    process = processes[0]
    if process.get("isExecutable", "true") != "true":
        problems.add(process.get("id", "process"), "Mark the process as executable.")
    for child in root:
        if not isinstance(child.tag, str):
            continue
        ns, name = etree.QName(child).namespace, local_name(child)
        if ns == BPMNDI_NS or name in {"process", "documentation", "extensionElements"}:
            continue
        if ns == BPMN_NS and name == "collaboration":
            for part in child:
                if isinstance(part.tag, str) and local_name(part) not in {
                    "participant",
                    "textAnnotation",
                    "association",
                    "documentation",
                }:
                    problems.add(
                        part.get("id", local_name(part)),
                        f"'{local_name(part)}' is not supported.",
                    )
            continue
        problems.add(child.get("id", name), f"'{name}' is not supported in a flow.")
    return process


def check_elements(process, problems: Problems) -> None:
    """Only supported elements, no reserved ids, one plain start event and an end event."""
    for element in process.iter():
        if not isinstance(element.tag, str):
            continue
        ns, name = etree.QName(element).namespace, local_name(element)
        where = owner_id(element) or name
        if ns == GS_NS or element is process:
            continue
        if ns != BPMN_NS:
            parent = element.getparent()
            if parent is None or local_name(parent) != "extensionElements":
                problems.add(where, f"'{name}' is not a BPMN element.")
            else:
                problems.add(where, "Only gs: attributes carry settings; remove this extension.")
            continue
        if name in LATER:
            problems.add(where, LATER[name])
        elif name == "timerEventDefinition" and local_name(element.getparent()) not in TIMER_EVENTS:
            problems.add(
                where, "Timer events are an intermediate catch event or a boundary event only."
            )
        elif name not in FLOW_NODES and name not in PASSIVE:
            problems.add(where, f"'{name}' is not supported in a flow yet.")
    for element in process.iter():
        element_id = element.get("id") if isinstance(element.tag, str) else None
        if element_id in RESERVED_IDS or (element_id or "").endswith((".EndJoin", DECISION_SUFFIX)):
            problems.add(element_id, f"'{element_id}' is reserved by the engine; rename it.")
    starts = process.findall(f"{{{BPMN_NS}}}startEvent")
    if len(starts) != 1:
        problems.add(process.get("id"), "A flow needs exactly one start event.")
    if not process.findall(f"{{{BPMN_NS}}}endEvent"):
        problems.add(process.get("id"), "A flow needs an end event.")
    for event in starts:
        if any(local_name(c).endswith("EventDefinition") for c in event if isinstance(c.tag, str)):
            problems.add(event.get("id"), "The start event must be a plain (none) start event.")


def timer_event(element, kinds: Mapping[str, str], problems: Problems) -> dict:
    """A timer catch event (a delay) or a timer boundary event on a user task."""
    node_id = element.get("id")
    definitions = [
        c for c in element if isinstance(c.tag, str) and local_name(c).endswith("Definition")
    ]
    if len(definitions) != 1 or local_name(definitions[0]) != "timerEventDefinition":
        problems.add(node_id, "Only timer events are supported: one timerEventDefinition.")
        return {}
    duration = definitions[0].find(f"{{{BPMN_NS}}}timeDuration")
    try:
        timers.parse_duration(duration.text if duration is not None else None)
    except ValidationError as exc:
        problems.add(node_id, f"timeDuration: {exc.message}")
        return {}
    node = {"duration": duration.text.strip()}
    if local_name(element) == "boundaryEvent":
        attached = element.get("attachedToRef")
        if kinds.get(attached) != "userTask":
            problems.add(node_id, "A timer boundary event sits on a user task.")
        node.update(attached_to=attached, interrupting=element.get("cancelActivity") != "false")
    return node


def check_flows(process, fields: Mapping[str, str], problems: Problems) -> None:
    """Conditions only on exclusive gateway branches, in our expression language over the
    bound form's fields; every other branch of such a gateway is its default."""
    kinds = {e.get("id"): local_name(e) for e in process if isinstance(e.tag, str)}
    defaults = {e.get("default") for e in process if isinstance(e.tag, str) and e.get("default")}
    for flow in process.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        flow_id = flow.get("id")
        source = kinds.get(flow.get("sourceRef"))
        condition = flow.find(f"{{{BPMN_NS}}}conditionExpression")
        if condition is None:
            if source == "exclusiveGateway" and flow_id not in defaults:
                outgoing = [
                    f
                    for f in process.iter(f"{{{BPMN_NS}}}sequenceFlow")
                    if f.get("sourceRef") == flow.get("sourceRef")
                ]
                if len(outgoing) > 1:
                    problems.add(flow_id, "A branch needs a condition, or must be the default.")
            continue
        if source != "exclusiveGateway":
            problems.add(flow_id, "Only branches out of an exclusive gateway carry conditions.")
            continue
        try:
            check_condition(condition.text, fields)
        except ValidationError as exc:
            problems.add(flow_id, exc.message)


def reject_paths(process, nodes: dict[str, dict], problems: Problems) -> None:
    """Note each user task's reject path; a task with one has exactly one other flow out."""
    flows = [f for f in process.iter(f"{{{BPMN_NS}}}sequenceFlow")]
    for flow in flows:
        path = gs_attribute(flow, "path")
        if path is None:
            continue
        source = flow.get("sourceRef")
        node = nodes.get(source, {})
        if path != "reject":
            problems.add(flow.get("id"), "gs:path is 'reject' or absent.")
        elif node.get("type") != "userTask":
            problems.add(flow.get("id"), "Only a flow out of a user task can be a reject path.")
        elif node.get("reject_to"):
            problems.add(source, "A user task has at most one reject path.")
        else:
            node["reject_to"] = flow.get("targetRef")
            others = [f for f in flows if f.get("sourceRef") == source and f is not flow]
            if len(others) != 1:
                problems.add(
                    source, "A user task with a reject path has exactly one other flow out."
                )
