/**
 * Which parts of a flow diagram an instance has gone through. The history names the tasks
 * and actions that ran; gateways and sequence flows leave no trace, so they are inferred:
 * a flow is on the path when it leads into a visited element from a visited element, or
 * from a gateway that was itself reached that way. Works on a plain graph so the viewer and
 * the unit tests share it.
 */

export interface GraphNode {
  id: string
  /** BPMN type without prefix, e.g. userTask, exclusiveGateway, startEvent. */
  type: string
  incoming: string[]
  outgoing: string[]
}

export interface GraphFlow {
  id: string
  source: string
  target: string
}

export interface Graph {
  nodes: Record<string, GraphNode>
  flows: Record<string, GraphFlow>
}

export interface PathTaken {
  /** Elements (nodes and flows) the instance has passed. */
  done: Set<string>
  /** Nodes waiting now (open tasks). */
  current: Set<string>
}

const isGateway = (node: GraphNode | undefined) => !!node && node.type.endsWith('Gateway')

export function pathTaken(graph: Graph, visited: Iterable<string>, waiting: Iterable<string>, finished: boolean): PathTaken {
  const current = new Set([...waiting].filter((id) => graph.nodes[id]))
  const reached = new Set([...visited].filter((id) => graph.nodes[id]))
  for (const node of Object.values(graph.nodes)) if (node.type === 'startEvent') reached.add(node.id)
  const done = new Set<string>([...reached].filter((id) => !current.has(id)))
  const touched = new Set([...reached, ...current])

  const memo = new Map<string, boolean>()
  /** Marks how `id` was entered; true when some way in leads back to a reached element. */
  function enter(id: string, trail: Set<string>): boolean {
    const node = graph.nodes[id]
    if (!node || trail.has(id)) return false
    if (memo.has(id)) return memo.get(id) as boolean
    trail.add(id)
    let found = false
    const flows = node.incoming.map((f) => graph.flows[f]).filter(Boolean)
    for (const flow of flows) {
      if (touched.has(flow.source)) {
        done.add(flow.id)
        found = true
      }
    }
    // A parallel join was entered on every branch; elsewhere only fall back to gateways
    // when no visited element leads in directly.
    if (!found || node.type === 'parallelGateway') {
      for (const flow of flows) {
        if (!touched.has(flow.source) && isGateway(graph.nodes[flow.source]) && enter(flow.source, trail)) {
          done.add(flow.id)
          done.add(flow.source)
          found = true
        }
      }
    }
    trail.delete(id)
    memo.set(id, found)
    return found
  }

  for (const id of touched) enter(id, new Set())
  if (finished) {
    for (const node of Object.values(graph.nodes)) {
      if (node.type === 'endEvent' && enter(node.id, new Set())) done.add(node.id)
    }
  }
  return { done, current }
}
