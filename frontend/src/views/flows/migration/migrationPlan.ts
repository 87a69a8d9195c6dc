/**
 * A migration between two versions as the dialog shows it: each instance's state (movable,
 * blocked, moved, refused), the nodes that need a mapping, and what to send to move the
 * chosen ones.
 */
import type { InstanceMove } from '@/api/flows'

export type MoveState = 'movable' | 'blocked' | 'moved' | 'refused'

/** What the target version keeps of each node (its BPMN type and name). */
export type VersionNodes = Record<string, Record<string, unknown>>

export interface WaitNode {
  node_id: string
  name: string
  type: string
}

export function moveState(row: InstanceMove): MoveState {
  if (row.moved === true) return 'moved'
  if (row.moved === false) return 'refused'
  return row.can_move ? 'movable' : 'blocked'
}

/** Nodes where instances wait that the target version lacks: each needs a node to map to. */
export function unmappedNodes(rows: InstanceMove[], target: VersionNodes): WaitNode[] {
  const found = new Map<string, WaitNode>()
  for (const row of rows) {
    for (const node of row.waiting) {
      if (!(node.node_id in target) && !found.has(node.node_id)) found.set(node.node_id, node)
    }
  }
  return [...found.values()]
}

/** Nodes of the target version of the same type as ``node``: where it may be mapped. */
export function mappingTargets(node: WaitNode, target: VersionNodes): Array<{ id: string; name: string }> {
  return Object.entries(target)
    .filter(([, n]) => n.type === node.type)
    .map(([id, n]) => ({ id, name: typeof n.name === 'string' && n.name ? n.name : id }))
}

/** The mapping to send: only the nodes the user mapped. */
export function cleanMapping(mapping: Record<string, string | null | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping).filter((e): e is [string, string] => !!e[1]))
}

/** The chosen instances that can move, with the row version the preview saw. */
export function expectedInstances(rows: InstanceMove[], chosen: Iterable<number>): Array<{ id: number; row_version: number }> {
  const ids = new Set(chosen)
  return rows.filter((r) => r.can_move && ids.has(r.id)).map((r) => ({ id: r.id, row_version: r.row_version }))
}

/** The preview's rows with the migration's answer laid over the instances it names. */
export function withResults(preview: InstanceMove[], result: InstanceMove[]): InstanceMove[] {
  const byId = new Map(result.map((r) => [r.id, r]))
  return preview.map((row) => {
    const answer = byId.get(row.id)
    return answer ? { ...row, ...answer, title: answer.title || row.title } : row
  })
}
