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
validates and serializes specs; it never runs a workflow. Reading the XML is in
``flow_engine.definition_xml``, the element checks in ``flow_engine.definition_elements`` and
the gs: settings of start events and user and service tasks in ``flow_engine.definition_tasks``;
their public names are exported here too.
"""

from __future__ import annotations

import json
from copy import deepcopy
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine_errors import ValidationError
from flow_engine.definition_elements import (
    DECISION_SUFFIX,
    FLOW_NODES,
    LATER,
    PASSIVE,
    RESERVED_IDS,
    TIMER_EVENTS,
    check_elements,
    check_flows,
    find_process,
    reject_paths,
    timer_event,
)
from flow_engine.definition_tasks import (
    ACTIONS,
    MODES,
    PERMISSIONS,
    Catalogue,
    FormFacts,
    field_permissions,
    service_task,
    start_event,
    timeout,
    user_task,
)
from flow_engine.definition_xml import (
    BPMN_NS,
    BPMNDI_NS,
    GS_NS,
    MAX_XML_BYTES,
    Problems,
    gs_attribute,
    local_name,
    parse_xml,
)
from flow_engine.runtime import dump_spec
from flow_engine.script_engine import DECISION

__all__ = [
    "ACTIONS",
    "BPMNDI_NS",
    "BPMN_NS",
    "DECISION_SUFFIX",
    "FLOW_NODES",
    "GS_NS",
    "LATER",
    "MAX_XML_BYTES",
    "MODES",
    "PASSIVE",
    "PERMISSIONS",
    "RESERVED_IDS",
    "TIMER_EVENTS",
    "Catalogue",
    "Definition",
    "FormFacts",
    "field_permissions",
    "parse_xml",
    "validate",
]


@dataclass
class Definition:
    """A validated flow: what a new flow version stores."""

    process_id: str
    name: str
    spec: str
    nodes: dict[str, dict] = field(default_factory=dict)


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
        normal = next(f for f in outgoing if gs_attribute(f, "path") != "reject")
        reject = next(f for f in outgoing if gs_attribute(f, "path") == "reject")
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
    problems = Problems()
    root = parse_xml(xml)
    process = find_process(root, problems)
    process_id = process.get("id") or ""
    check_elements(process, problems)
    nodes: dict[str, dict] = {}
    kinds = {e.get("id"): local_name(e) for e in process if isinstance(e.tag, str)}
    for element in process.iter(*(f"{{{BPMN_NS}}}{n}" for n in FLOW_NODES)):
        node = {"type": local_name(element), "name": element.get("name") or element.get("id")}
        if node["type"] == "userTask":
            node.update(user_task(element, form, catalogue, problems))
        elif node["type"] == "serviceTask":
            node.update(service_task(element, form, catalogue, problems))
        elif node["type"] == "startEvent":
            node.update(start_event(element, form, catalogue, problems))
        elif node["type"] in TIMER_EVENTS:
            node.update(timer_event(element, kinds, problems))
        if node["type"] == "userTask":
            node.update(timeout(element, problems))
        nodes[element.get("id")] = node
    check_flows(process, form.fields, problems)
    reject_paths(process, nodes, problems)
    problems.raise_if_any()
    spec = _spec(_with_decisions(root, nodes), process_id)
    return Definition(process_id, process.get("name") or process_id, dump_spec(spec), nodes)
