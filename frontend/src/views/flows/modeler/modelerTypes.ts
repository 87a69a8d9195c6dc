/** The small part of bpmn-js's API the modeler view and its properties panel use. */

export interface BusinessObject {
  $type: string
  id: string
  name?: string
  sourceRef?: BusinessObject
  conditionExpression?: { body?: string }
  get(name: string): unknown
}

export interface BpmnElement {
  id: string
  type: string
  businessObject: BusinessObject
}

interface Modeling {
  updateProperties(element: BpmnElement, properties: Record<string, unknown>): void
}

interface Moddle {
  create(type: string, attrs: Record<string, unknown>): unknown
}

interface Services {
  modeling: Modeling
  moddle: Moddle
  canvas: {
    zoom(scale: 'fit-viewport', center?: 'auto'): number
    addMarker(id: string, marker: string): void
    removeMarker(id: string, marker: string): void
  }
  elementRegistry: { get(id: string): BpmnElement | undefined }
  selection: { select(element: BpmnElement): void }
}

export interface ModelerHandle {
  get<K extends keyof Services>(name: K): Services[K]
  on(event: string, callback: (event: { newSelection?: BpmnElement[]; element?: BpmnElement }) => void): void
  off(event: string, callback: (...args: never[]) => unknown): void
}
