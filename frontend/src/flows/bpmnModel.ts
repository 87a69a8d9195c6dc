/**
 * What the console's BPMN views need to know about our diagrams: the `gs:` attributes a task
 * carries (as a bpmn-moddle extension, so the modeler reads and writes them as properties),
 * which attributes the properties panel offers per element type, and the plain graph of a
 * process for working out the path an instance took. No bpmn-js import here: the views
 * create the modeler and viewer, this file stays testable.
 */
import type { Graph } from './pathTaken'

export const GS_NS = 'urn:greenshelf:bpmn:1'

/** Our attributes per BPMN type (flow_engine/definitions.py documents each). */
export const GS_ATTRIBUTES: Record<string, readonly string[]> = {
  'bpmn:UserTask': [
    'form',
    'assignee',
    'mode',
    'ratio',
    'empty',
    'self',
    'actions',
    'commentRequired',
    'fields',
    'timeout',
    'onTimeout',
    'remindEvery',
    'remindCount',
    'escalateTo',
  ],
  'bpmn:ServiceTask': ['action', 'assignee', 'message', 'inputs'],
  'bpmn:StartEvent': ['admins', 'dedupe'],
  'bpmn:SequenceFlow': ['path'],
}

/** bpmn-moddle extension: our attributes, read and written as gs:<name> on their elements. */
export const gsModdle = {
  name: 'GreenShelf',
  prefix: 'gs',
  uri: GS_NS,
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: Object.entries(GS_ATTRIBUTES).map(([type, names]) => ({
    name: `${type.slice(5)}Settings`,
    isAbstract: true,
    extends: [type],
    properties: names.map((name) => ({ name, isAttr: true, type: 'String' })),
  })),
}

/** `qty:editable cost:hidden` <-> {qty: 'editable', cost: 'hidden'} (gs:fields; unnamed fields are read-only). */
export function parseFieldPermissions(text: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    const [key, permission] = part.split(':')
    if (key && permission) out[key] = permission
  }
  return out
}

export function formatFieldPermissions(permissions: Record<string, string>): string {
  return Object.entries(permissions)
    .filter(([, p]) => p && p !== 'readonly')
    .map(([k, p]) => `${k}:${p}`)
    .join(' ')
}

interface ModdleLike {
  $type: string
  id: string
  incoming?: Array<{ id: string }>
  outgoing?: Array<{ id: string }>
  sourceRef?: { id: string }
  targetRef?: { id: string }
  flowElements?: ModdleLike[]
  rootElements?: ModdleLike[]
}

/** The graph of the (first) process of parsed BPMN definitions. */
export function graphOf(definitions: unknown): Graph {
  const graph: Graph = { nodes: {}, flows: {} }
  const roots = (definitions as ModdleLike | null)?.rootElements ?? []
  const process = roots.find((r) => r.$type === 'bpmn:Process')
  for (const element of process?.flowElements ?? []) {
    if (element.$type === 'bpmn:SequenceFlow') {
      if (element.sourceRef && element.targetRef) {
        graph.flows[element.id] = { id: element.id, source: element.sourceRef.id, target: element.targetRef.id }
      }
    } else {
      graph.nodes[element.id] = {
        id: element.id,
        type: element.$type.replace(/^bpmn:/, '').replace(/^./, (c) => c.toLowerCase()),
        incoming: (element.incoming ?? []).map((f) => f.id),
        outgoing: (element.outgoing ?? []).map((f) => f.id),
      }
    }
  }
  return graph
}

/** A minimal deployable-looking start for a flow that has no version yet. */
export function blankDiagram(processId: string, name: string): string {
  const safe = name.replace(/[<>&"]/g, '')
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:gs="${GS_NS}" id="Definitions_${processId}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${processId}" name="${safe}" isExecutable="true">
    <bpmn:startEvent id="start_1" name="发起人" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_${processId}">
    <bpmndi:BPMNPlane id="Plane_${processId}" bpmnElement="${processId}">
      <bpmndi:BPMNShape id="start_1_di" bpmnElement="start_1">
        <dc:Bounds x="100" y="100" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`
}
