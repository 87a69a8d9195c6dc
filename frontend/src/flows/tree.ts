/**
 * The simple designer's node tree (the server's format, see flow_engine/simple_designer.py):
 * the initiator first, every node with at most one `child`, branch nodes holding branches
 * that each start a chain of their own. These helpers create, insert, remove and find nodes
 * and match the server's errors (keyed by tree path, e.g. `tree.child.assignee`) to a node.
 * They change the tree in place so a reactive tree updates the canvas.
 */
import type { Expression } from '@/api/formTypes'

export type NodeType = 'initiator' | 'approver' | 'cc' | 'branch' | 'parallel' | 'action' | 'delay' | 'end'

export interface Branch {
  name?: string
  condition?: Expression | null
  child?: FlowNode | null
}

export interface FlowNode {
  type: NodeType
  id?: string
  name?: string
  child?: FlowNode | null
  /** Who acts or is addressed: assignment rules, see `parseAssignee`. */
  assignee?: string
  /** Approvers: how several people decide (any = or-sign, all = countersign, ...). */
  mode?: string
  /** Approvers: the share of approvals a ratio countersign needs, e.g. "2/3". */
  ratio?: string
  /** Approvers: when the assignment finds nobody (refuse, auto_approve, auto_reject, admins, user:<id>). */
  empty?: string
  /** Approvers: when the initiator is an approver (approve, skip, dept_head). */
  self?: string
  /** Approvers: field key -> editable / readonly / hidden (unnamed fields are read-only). */
  fields?: Record<string, string>
  /** Approvers: the actions offered besides approve (absent: all of them). */
  actions?: string[]
  /** Approvers: the actions that need a comment. */
  comment_required?: string[]
  /** Approvers: the id of the node a rejection goes back to (absent: rejection ends the flow). */
  reject_to?: string
  /** Approvers: what happens when nobody decides in time. */
  timeout?: { after?: string; action?: string; every?: string; count?: number; to?: string }
  /** Initiator: the flow's administrators (an assignment). */
  admins?: string
  /** Initiator: someone who approved the step before is not asked again. */
  dedupe?: boolean
  /** Service actions: the registered action and its message. */
  action?: string
  message?: string
  inputs?: Record<string, unknown>
  /** Delays: ISO 8601 duration, e.g. PT2H or P1D. */
  duration?: string
  branches?: Branch[]
  [extra: string]: unknown
}

/** Anything that holds a chain in its `child`: a node or a branch. */
export interface Holder {
  child?: FlowNode | null
}

/** Node types a user can add from the "+" menu. */
export const ADDABLE_TYPES: NodeType[] = ['approver', 'cc', 'branch', 'parallel', 'action', 'delay']

const ID_PREFIX: Record<NodeType, string> = {
  initiator: 'start',
  approver: 'approve',
  cc: 'cc',
  branch: 'branch',
  parallel: 'parallel',
  action: 'action',
  delay: 'delay',
  end: 'end',
}

/** A blank initiator with nothing after it. */
export function emptyTree(): FlowNode {
  return { type: 'initiator', child: null }
}

/** Every node of the tree with its path, in drawing order (a node before its branches). */
export function walk(tree: FlowNode, path = 'tree'): Array<{ node: FlowNode; path: string }> {
  const out: Array<{ node: FlowNode; path: string }> = []
  let node: FlowNode | null | undefined = tree
  let here = path
  while (node) {
    out.push({ node, path: here })
    node.branches?.forEach((branch, i) => {
      if (branch.child) out.push(...walk(branch.child, `${here}.branches.${i}.child`))
    })
    node = node.child
    here = `${here}.child`
  }
  return out
}

/** A node id not used anywhere in the tree, e.g. approve_3. */
export function nextId(tree: FlowNode, type: NodeType): string {
  const taken = new Set(walk(tree).map((e) => e.node.id))
  const prefix = ID_PREFIX[type]
  let n = 1
  while (taken.has(`${prefix}_${n}`)) n += 1
  return `${prefix}_${n}`
}

/** A new node of the type with sensible defaults (names are filled in by the caller's language). */
export function newNode(tree: FlowNode, type: NodeType, name = ''): FlowNode {
  const node: FlowNode = { type, id: nextId(tree, type), name, child: null }
  if (type === 'approver') Object.assign(node, { assignee: '', mode: 'any', empty: 'refuse' })
  if (type === 'cc') node.assignee = ''
  if (type === 'action') Object.assign(node, { action: 'notify', assignee: '', message: '' })
  if (type === 'delay') node.duration = 'P1D'
  if (type === 'branch') node.branches = [{ name: '', condition: null, child: null }, { name: '', condition: null, child: null }]
  if (type === 'parallel') node.branches = [{ name: '', child: null }, { name: '', child: null }]
  return node
}

/** Puts `node` first in the holder's chain: what followed now follows the new node. */
export function insertAfter(holder: Holder, node: FlowNode): FlowNode {
  node.child = holder.child ?? null
  holder.child = node
  return node
}

/** Removes the holder's next node (with its branches); the chain after it moves up. */
export function removeAfter(holder: Holder): FlowNode | null {
  const removed = holder.child ?? null
  if (removed) holder.child = removed.child ?? null
  return removed
}

/** The holder whose `child` is the node at `path` (the initiator has none). */
export function holderOf(tree: FlowNode, path: string): Holder | null {
  if (path === 'tree' || !path.endsWith('.child')) return null
  return at(tree, path.slice(0, -'.child'.length)) as Holder | null
}

/** The node or branch at a path such as `tree.child.branches.1`. */
export function at(tree: FlowNode, path: string): FlowNode | Branch | null {
  const parts = path.split('.')
  if (parts[0] !== 'tree') return null
  let here: unknown = tree
  for (const part of parts.slice(1)) {
    if (here === null || typeof here !== 'object') return null
    here = (here as Record<string, unknown>)[part]
  }
  return here && typeof here === 'object' ? (here as FlowNode | Branch) : null
}

/** Adds an empty branch; a condition branch keeps its "otherwise" branch (no condition) last. */
export function addBranch(node: FlowNode): Branch {
  const branch: Branch = node.type === 'branch' ? { name: '', condition: null, child: null } : { name: '', child: null }
  const list = (node.branches ??= [])
  const last = list[list.length - 1]
  if (node.type === 'branch' && last && last.condition == null) list.splice(list.length - 1, 0, branch)
  else list.push(branch)
  return branch
}

/** True for the branch taken when no condition holds (the one without a condition). */
export function isOtherwise(node: FlowNode, index: number): boolean {
  const list = node.branches ?? []
  return node.type === 'branch' && index === list.length - 1 && list[index]?.condition == null
}

/** Removes one branch; with fewer than two left the branch node is not a choice any more. */
export function removeBranch(node: FlowNode, index: number): boolean {
  const list = node.branches ?? []
  if (list.length <= 2) return false
  list.splice(index, 1)
  return true
}

/** Moves a branch one place left (-1) or right (+1): conditions are tried in order. */
export function moveBranch(node: FlowNode, index: number, step: -1 | 1): boolean {
  const list = node.branches ?? []
  const target = index + step
  if (target < 0 || target >= list.length) return false
  const [branch] = list.splice(index, 1)
  list.splice(target, 0, branch)
  return true
}

function ownedRest(key: string, path: string): string | null {
  if (key === path) return ''
  if (!key.startsWith(`${path}.`)) return null
  const rest = key.slice(path.length + 1)
  if (rest === 'child' || rest.startsWith('child.') || /^branches\.\d+\.child(\.|$)/.test(rest)) return null
  return rest
}

/** The server's messages about the node at `path` (not about nodes after or inside it). */
export function errorsAt(errors: Record<string, string[]>, path: string): string[] {
  const out: string[] = []
  for (const [key, messages] of Object.entries(errors)) {
    if (ownedRest(key, path) !== null) out.push(...messages)
  }
  return out
}

/** The field an error is about, from a key the node owns (`assignee`, `branches.0.condition`). */
export function errorFields(errors: Record<string, string[]>, path: string): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [key, messages] of Object.entries(errors)) {
    const rest = ownedRest(key, path)
    if (rest !== null) out[rest || '_node'] = [...(out[rest || '_node'] ?? []), ...messages]
  }
  return out
}

/** Paths of the nodes that have errors, so the canvas can mark them. */
export function pathsWithErrors(tree: FlowNode, errors: Record<string, string[]>): Set<string> {
  return new Set(walk(tree).filter((e) => errorsAt(errors, e.path).length > 0).map((e) => e.path))
}

/** A deep copy safe to send (no reactive proxies, no undefined). */
export function plainTree(tree: FlowNode): FlowNode {
  return JSON.parse(JSON.stringify(tree)) as FlowNode
}
