"""Validate BPMN 2.0 XML for deployment and turn it into what a flow version stores.

A deployable flow has one executable process built only from start and end events
(an end event may terminate), user tasks, service tasks, exclusive and parallel gateways
and sequence flows (lanes, annotations and the diagram are kept as they are). Our own
settings are attributes in the ``gs`` namespace (``GS_NS``):

    startEvent   gs:admins    the flow's administrators (an assignment), who take steps
                              whose assignment finds nobody under gs:empty="admins"
                 gs:dedupe    true: a person who approved the step just before is not
                              asked again on the next one (their seat approves itself)
    userTask     gs:form      key of the form the task shows: the flow's bound form
                 gs:assignee  who acts, see flow_engine.assignment (required)
                 gs:mode      any (or-sign: the first decision counts, the default), all
                              (countersign), ratio (with gs:ratio, e.g. 2/3) or sequential
                              (one after another); see flow_engine.approvals
                 gs:empty     when nobody is found: refuse (the default: the step that
                              reaches it fails and nothing changes), auto_approve,
                              auto_reject, admins or user:<id or username>
                 gs:self      when the initiator is an approver: approve (as themselves,
                              the default), skip, or dept_head (their head acts instead)
                 gs:actions   the enabled actions besides approve (default: all of
                              reject return transfer add_signer delegate cc)
                 gs:commentRequired  actions that need a comment (e.g. "reject return")
                 gs:fields    field permissions on the bound form: "qty:editable
                              note:hidden"; unnamed fields are read-only
    sequenceFlow gs:path      reject: the flow a rejection takes out of a user task
                              (without one, a rejection ends the flow as rejected)
                 gs:timeout   an ISO 8601 duration, then gs:onTimeout (remind, escalate,
                              auto_approve, auto_reject), gs:remindEvery, gs:remindCount,
                              gs:escalateTo; see flow_engine.timers
    serviceTask  gs:action    a registered action (flow_engine.actions)
                 gs:inputs    its inputs as a JSON object, checked against the action
                 gs:assignee  the people cc and notify address (their ``to`` input)
                 gs:message   the text of a notification (plain text, optional)
    intermediateCatchEvent, boundaryEvent (on a user task)
                 a timer: one timerEventDefinition holding a timeDuration (ISO 8601)

A condition on a sequence flow out of an exclusive gateway is the JSON text of the
expression language, checked against the bound form's fields; anything else (Python,
FEEL) is refused. Script tasks, messages, loops and timers other than a duration on an
intermediate or boundary event are refused with a message saying so. This module
validates and serializes specs; it never runs a workflow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException

from flow_engine import actions, approvals, assignment, timers
from flow_engine.runtime import dump_spec
from flow_engine.script_engine import DECISION, check_condition
from form_engine.errors import ValidationError

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
GS_NS = "urn:greenshelf:bpmn:1"
MAX_XML_BYTES = 2_000_000
MODES = approvals.MODES
PERMISSIONS = ("editable", "readonly", "hidden")
DECISION_SUFFIX = "__decision"  # the gateway a reject path compiles to
RESERVED_IDS = {"Start", "End", "Root"}  # names of SpiffWorkflow's own task specs
ACTIONS = tuple(actions.action_names())
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
        elif name == "timerEventDefinition" and _local(element.getparent()) not in TIMER_EVENTS:
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
    node = {"form": form_key, "mode": mode, "assignee": _gs(element, "assignee")}
    checks = {
        "ratio": lambda: _ratio(element) if mode == "ratio" else None,
        "empty": lambda: assignment.check_empty_policy(_gs(element, "empty")),
        "self": lambda: _self_policy(_gs(element, "self")),
        "actions": lambda: _actions(_gs(element, "actions")),
        "comment_required": lambda: approvals.parse_actions(_gs(element, "commentRequired") or ""),
        "fields": lambda: field_permissions(_gs(element, "fields"), form),
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
    text = _gs(element, "ratio")
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


def _start_event(element, form: FormFacts, catalogue: Catalogue, problems: _Problems) -> dict:
    node: dict = {}
    admins = _gs(element, "admins")
    if admins:
        try:
            assignment.check(admins, form.user_fields, catalogue.roles, form.fields)
            node["admins"] = admins
        except ValidationError as exc:
            problems.add(element.get("id"), f"gs:admins: {exc.message}")
    dedupe = _gs(element, "dedupe") or "false"
    if dedupe not in {"true", "false"}:
        problems.add(element.get("id"), "gs:dedupe is true or false.")
    node["dedupe"] = dedupe == "true"
    return node


def _reject_paths(process, nodes: dict[str, dict], problems: _Problems) -> None:
    """Note each user task's reject path; a task with one has exactly one other flow out."""
    flows = [f for f in process.iter(f"{{{BPMN_NS}}}sequenceFlow")]
    for flow in flows:
        path = _gs(flow, "path")
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


def _service_task(element, form: FormFacts, catalogue: Catalogue, problems: _Problems) -> dict:
    node_id = element.get("id")
    action = _gs(element, "action")
    raw = element.get(f"{{{GS_NS}}}inputs")
    try:
        inputs = json.loads(raw) if raw else {}
    except ValueError:
        problems.add(f"{node_id}.inputs", "gs:inputs must be a JSON object.")
        return {"action": action, "inputs": {}}
    assignee, message = _gs(element, "assignee"), element.get(f"{{{GS_NS}}}message")
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


def _timeout(element, problems: _Problems) -> dict:
    """A user task's timeout settings (flow_engine.timers), if it has any."""
    names = ("timeout", "onTimeout", "remindEvery", "remindCount", "escalateTo")
    timeout, found = timers.parse_timeout(*(_gs(element, n) for n in names))
    for name, message in found.items():
        problems.add(element.get("id"), f"gs:{name}: {message}")
    return {"timeout": timeout.to_node()} if timeout else {}


def _timer_event(element, kinds: Mapping[str, str], problems: _Problems) -> dict:
    """A timer catch event (a delay) or a timer boundary event on a user task."""
    node_id = element.get("id")
    definitions = [
        c for c in element if isinstance(c.tag, str) and _local(c).endswith("Definition")
    ]
    if len(definitions) != 1 or _local(definitions[0]) != "timerEventDefinition":
        problems.add(node_id, "Only timer events are supported: one timerEventDefinition.")
        return {}
    duration = definitions[0].find(f"{{{BPMN_NS}}}timeDuration")
    try:
        timers.parse_duration(duration.text if duration is not None else None)
    except ValidationError as exc:
        problems.add(node_id, f"timeDuration: {exc.message}")
        return {}
    node = {"duration": duration.text.strip()}
    if _local(element) == "boundaryEvent":
        attached = element.get("attachedToRef")
        if kinds.get(attached) != "userTask":
            problems.add(node_id, "A timer boundary event sits on a user task.")
        node.update(attached_to=attached, interrupting=element.get("cancelActivity") != "false")
    return node


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


def _with_decisions(root, nodes: dict[str, dict]):
    """A copy of the document for the engine in which each user task with a reject path
    flows into an exclusive gateway choosing the reject path when the task was rejected."""
    root = deepcopy(root)
    process = root.find(f"{{{BPMN_NS}}}process")
    for node_id, node in nodes.items():
        if not node.get("reject_to"):
            continue
        gateway_id = f"{node_id}{DECISION_SUFFIX}"
        outgoing = [
            f for f in process.iter(f"{{{BPMN_NS}}}sequenceFlow") if f.get("sourceRef") == node_id
        ]
        normal = next(f for f in outgoing if _gs(f, "path") != "reject")
        reject = next(f for f in outgoing if _gs(f, "path") == "reject")
        etree.SubElement(
            process, f"{{{BPMN_NS}}}exclusiveGateway", id=gateway_id, default=normal.get("id")
        )
        etree.SubElement(
            process,
            f"{{{BPMN_NS}}}sequenceFlow",
            id=f"{gateway_id}_in",
            sourceRef=node_id,
            targetRef=gateway_id,
        )
        for flow in outgoing:
            flow.set("sourceRef", gateway_id)
        condition = etree.SubElement(reject, f"{{{BPMN_NS}}}conditionExpression")
        condition.text = json.dumps({"==": [{"var": DECISION}, "rejected"]})
    return root


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
    kinds = {e.get("id"): _local(e) for e in process if isinstance(e.tag, str)}
    for element in process.iter(*(f"{{{BPMN_NS}}}{n}" for n in FLOW_NODES)):
        node = {"type": _local(element), "name": element.get("name") or element.get("id")}
        if node["type"] == "userTask":
            node.update(_user_task(element, form, catalogue, problems))
        elif node["type"] == "serviceTask":
            node.update(_service_task(element, form, catalogue, problems))
        elif node["type"] == "startEvent":
            node.update(_start_event(element, form, catalogue, problems))
        elif node["type"] in TIMER_EVENTS:
            node.update(_timer_event(element, kinds, problems))
        if node["type"] == "userTask":
            node.update(_timeout(element, problems))
        nodes[element.get("id")] = node
    _check_flows(process, form, problems)
    _reject_paths(process, nodes, problems)
    problems.raise_if_any()
    spec = _spec(_with_decisions(root, nodes), process_id)
    return Definition(process_id, process.get("name") or process_id, dump_spec(spec), nodes)
