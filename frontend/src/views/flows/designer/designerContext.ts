/** What the simple designer's recursive node components share: the tree, errors, selection and edits. */
import type { InjectionKey, Ref } from 'vue'
import type { FlowNode, Holder, NodeType } from '@/flows/tree'

export interface DesignerContext {
  tree: Ref<FlowNode>
  errors: Ref<Record<string, string[]>>
  selected: Ref<string | null>
  readonly: Ref<boolean>
  select: (path: string) => void
  insert: (holder: Holder, holderPath: string, type: NodeType) => void
  remove: (path: string) => void
  /** One line saying who acts or what happens at a node. */
  summary: (node: FlowNode) => string
  /** The label of a condition (field names in the UI language), or '' for none. */
  conditionText: (condition: unknown) => string
}

export const DESIGNER: InjectionKey<DesignerContext> = Symbol('flow-designer')
