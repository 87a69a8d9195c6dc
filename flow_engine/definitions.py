"""Validate BPMN 2.0 XML for deployment and turn it into what a flow version stores.

A deployable flow has one executable process built only from start and end events
(an end event may terminate), user tasks, service tasks, exclusive and parallel gateways
and sequence flows (lanes, annotations and the diagram are kept as they are). Our own
settings are attributes in the ``gs`` namespace (``GS_NS``):

    userTask     gs:form      key of the form the task shows: the flow's bound form
                 gs:assignee  who acts, see flow_engine.assignment (required)
                 gs:mode      any (or-sign: the first decision counts, the default) or
                              all (countersign: everyone must approve)
                 gs:empty     when nobody is found: refuse (the default: the step that
                              reaches it fails and nothing changes) or auto_approve
    serviceTask  gs:action    a registered action: cc (copy people in) or notify
                 gs:assignee  the people the action addresses
                 gs:message   the text of a notification (plain text, optional)

A condition on a sequence flow out of an exclusive gateway is the JSON text of the
expression language, checked against the bound form's fields; anything else (Python,
FEEL) is refused. Script tasks, timers, messages and loops are refused with a message
saying so. This module validates and serializes specs; it never runs a workflow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException

from flow_engine import assignment
from flow_engine.runtime import dump_spec
from flow_engine.script_engine import check_condition
from form_engine.errors import ValidationError

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
GS_NS = "urn:greenshelf:bpmn:1"
MAX_XML_BYTES = 2_000_000
MODES = ("any", "all")
RESERVED_IDS = {"Start", "End", "Root"}  # names of SpiffWorkflow's own task specs
ACTIONS = ("cc", "notify")

FLOW_NODES = {
    "startEvent",
    "endEvent",
    "userTask",
    "serviceTask",
    "exclusiveGateway",
    "parallelGateway",
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
}
LATER = {
    "timerEventDefinition": "Timer events are not supported yet.",
    "scriptTask": "Script tasks are not run: use a service task with a registered action.",
    "multiInstanceLoopCharacteristics": "Use gs:mode='all' for a countersign instead.",
    "standardLoopCharacteristics": "Loops are not supported: route back with a gateway.",
}


@dataclass(frozen=True)
class FormFacts:
    """What a flow may name on its bound form."""

    key: str
    fields: Mapping[str, str]  # field key -> expression type
    user_fields: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Catalogue:
    """The tenant's role codes (None: not checked at deploy)."""

    roles: frozenset[str] | None = None


@dataclass
class Definition:
    """A validated flow: what a new flow version stores."""

    process_id: str
    name: str
    spec: str
    nodes: dict[str, dict] = field(default_factory=dict)


class _Problems:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, where: str, message: str) -> None:
        self.errors.setdefault(where, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            where, messages = next(iter(self.errors.items()))
            raise ValidationError(
                f"This flow cannot be deployed: {where}: {messages[0]}", self.errors
            )


def _local(element) -> str:
    return etree.QName(element).localname


def parse_xml(xml: str | bytes):
    """The XML as an element tree, refusing DTDs, entities and oversized documents."""
    data = xml.encode() if isinstance(xml, str) else xml
    if len(data) > MAX_XML_BYTES:
        raise ValidationError(f"The BPMN document is larger than {MAX_XML_BYTES} bytes.")
    if b"<!doctype" in data.lower():
        raise ValidationError("A BPMN document must not declare a DOCTYPE.")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValidationError(f"This is not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise ValidationError("A BPMN document must not declare a DOCTYPE.")
    if root.tag != f"{{{BPMN_NS}}}definitions":
        raise ValidationError("This is not a BPMN 2.0 document (no bpmn:definitions root).")
    return root


def _process(root, problems: _Problems):
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
        ns, name = etree.QName(child).namespace, _local(child)
        if ns == BPMNDI_NS or name in {"process", "documentation", "extensionElements"}:
            continue
        if ns == BPMN_NS and name == "collaboration":
            for part in child:
                if isinstance(part.tag, str) and _local(part) not in {
                    "participant",
                    "textAnnotation",
                    "association",
                    "documentation",
                }:
                    problems.add(
                        part.get("id", _local(part)), f"'{_local(part)}' is not supported."
                    )
            continue
        problems.add(child.get("id", name), f"'{name}' is not supported in a flow.")
    return process


def _owner_id(element) -> str | None:
    """The id of the element or of the nearest enclosing element that has one."""
    while element is not None and not element.get("id"):
        element = element.getparent()
    return element.get("id") if element is not None else None


def _check_elements(process, problems: _Problems) -> None:
    for element in process.iter():
        if not isinstance(element.tag, str):
            continue
        ns, name = etree.QName(element).namespace, _local(element)
        where = _owner_id(element) or name
        if ns == GS_NS or element is process:
            continue
        if ns != BPMN_NS:
            if element.getparent() is None or _local(element.getparent()) != "extensionElements":
                problems.add(where, f"'{name}' is not a BPMN element.")
            else:
                problems.add(where, "Only gs: attributes carry settings; remove this extension.")
            continue
        if name in LATER:
            problems.add(where, LATER[name])
        elif name not in FLOW_NODES and name not in PASSIVE:
            problems.add(where, f"'{name}' is not supported in a flow yet.")
    for element in process.iter():
        element_id = element.get("id") if isinstance(element.tag, str) else None
        if element_id in RESERVED_IDS or (element_id or "").endswith(".EndJoin"):
            problems.add(element_id, f"'{element_id}' is reserved by the engine; rename it.")
    starts = process.findall(f"{{{BPMN_NS}}}startEvent")
    if len(starts) != 1:
        problems.add(process.get("id"), "A flow needs exactly one start event.")
    if not process.findall(f"{{{BPMN_NS}}}endEvent"):
        problems.add(process.get("id"), "A flow needs an end event.")
    for event in starts:
        if any(_local(c).endswith("EventDefinition") for c in event if isinstance(c.tag, str)):
            problems.add(event.get("id"), "The start event must be a plain (none) start event.")


def _gs(element, name: str) -> str | None:
    value = element.get(f"{{{GS_NS}}}{name}")
    return value.strip() if value is not None else None


def _user_task(element, form: FormFacts, catalogue: Catalogue, problems: _Problems) -> dict:
    node_id = element.get("id")
    form_key = _gs(element, "form")
    if not form_key:
        problems.add(node_id, "Set gs:form: the form this step shows.")
    elif form_key != form.key:
        problems.add(node_id, f"gs:form is '{form_key}' but this flow is bound to '{form.key}'.")
    mode = _gs(element, "mode") or "any"
    if mode not in MODES:
        problems.add(node_id, f"gs:mode must be one of {', '.join(MODES)}.")
    empty = _gs(element, "empty") or "refuse"
    if empty not in assignment.EMPTY_POLICIES:
        problems.add(node_id, f"gs:empty must be one of {', '.join(assignment.EMPTY_POLICIES)}.")
    assignee = _gs(element, "assignee")
    try:
        assignment.check(assignee, form.user_fields, catalogue.roles)
    except ValidationError as exc:
        problems.add(node_id, exc.message)
    return {"form": form_key, "assignee": assignee, "mode": mode, "empty": empty}


def _service_task(element, form: FormFacts, catalogue: Catalogue, problems: _Problems) -> dict:
    node_id = element.get("id")
    action = _gs(element, "action")
    if action not in ACTIONS:
        problems.add(node_id, f"gs:action must be one of {', '.join(ACTIONS)}.")
    assignee = _gs(element, "assignee")
    try:
        assignment.check(assignee, form.user_fields, catalogue.roles)
    except ValidationError as exc:
        problems.add(node_id, exc.message)
    message = element.get(f"{{{GS_NS}}}message") or ""
    if len(message) > 2000:
        problems.add(node_id, "gs:message is longer than 2000 characters.")
    return {"action": action, "assignee": assignee, "message": message}


def _check_flows(process, form: FormFacts, problems: _Problems) -> None:
    kinds = {e.get("id"): _local(e) for e in process if isinstance(e.tag, str)}
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
            check_condition(condition.text, form.fields)
        except ValidationError as exc:
            problems.add(flow_id, exc.message)


def _spec(root, process_id: str):
    parser = BpmnParser(validator=BpmnValidator())
    try:
        parser.add_bpmn_xml(root)
        return parser.get_spec(process_id)
    except ValidationException as exc:
        where = getattr(exc, "id", "") or process_id
        raise ValidationError(f"Invalid BPMN: {exc}", {where: [str(exc)]}) from None
    except (SpiffWorkflowException, etree.LxmlError) as exc:
        raise ValidationError(f"Invalid BPMN: {exc}") from None
    except Exception as exc:  # the parser trusts its input more than we may
        raise ValidationError(f"Invalid BPMN: {type(exc).__name__}: {exc}") from None


def validate(xml: str | bytes, form: FormFacts, catalogue: Catalogue | None = None) -> Definition:
    """Check a BPMN document against our rules and the bound form; return what to store."""
    catalogue = catalogue or Catalogue()
    problems = _Problems()
    root = parse_xml(xml)
    process = _process(root, problems)
    process_id = process.get("id") or ""
    _check_elements(process, problems)
    nodes: dict[str, dict] = {}
    for element in process.iter(*(f"{{{BPMN_NS}}}{n}" for n in FLOW_NODES)):
        node = {"type": _local(element), "name": element.get("name") or element.get("id")}
        if node["type"] == "userTask":
            node.update(_user_task(element, form, catalogue, problems))
        elif node["type"] == "serviceTask":
            node.update(_service_task(element, form, catalogue, problems))
        nodes[element.get("id")] = node
    _check_flows(process, form, problems)
    problems.raise_if_any()
    spec = _spec(root, process_id)
    return Definition(process_id, process.get("name") or process_id, dump_spec(spec), nodes)
