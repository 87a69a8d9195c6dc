import { describe, expect, it } from 'vitest'
import { pathTaken, type Graph } from '@/flows/pathTaken'
import { eventDetail, instanceProgress } from '@/flows/history'
import type { FlowEvent } from '@/api/flows'
import { formatFieldPermissions, graphOf, gsModdle, parseFieldPermissions } from '@/flows/bpmnModel'

/** Builds a graph from "a>b" edges; types from the id's prefix (start, end, gw/pgw, task). */
function graph(...edges: string[]): Graph {
  const g: Graph = { nodes: {}, flows: {} }
  const type = (id: string) =>
    id.startsWith('start') ? 'startEvent' : id.startsWith('end') ? 'endEvent' : id.startsWith('pgw') ? 'parallelGateway' : id.startsWith('gw') ? 'exclusiveGateway' : 'userTask'
  const node = (id: string) => (g.nodes[id] ??= { id, type: type(id), incoming: [], outgoing: [] })
  for (const edge of edges) {
    const [source, target] = edge.split('>')
    const id = `${source}_${target}`
    g.flows[id] = { id, source, target }
    node(source).outgoing.push(id)
    node(target).incoming.push(id)
  }
  return g
}

// start > a > gw split: (b) | (otherwise: straight) > gw join > c > end
const branchy = graph('start>a', 'a>gw1', 'gw1>b', 'gw1>gw2', 'b>gw2', 'gw2>c', 'c>end')

describe('path taken', () => {
  it('marks the start, the finished task and the flow between them; the waiting task is current', () => {
    const { done, current } = pathTaken(branchy, ['a'], ['b'], false)
    expect([...current]).toEqual(['b'])
    expect(done).toEqual(new Set(['start', 'start_a', 'a', 'a_gw1', 'gw1', 'gw1_b']))
  })

  it('follows the taken branch through both gateways and not the other one', () => {
    const { done } = pathTaken(branchy, ['a', 'b'], ['c'], false)
    expect(done.has('gw1_b')).toBe(true)
    expect(done.has('b_gw2')).toBe(true)
    expect(done.has('gw2_c')).toBe(true)
    expect(done.has('gw1_gw2')).toBe(false)
  })

  it('takes the empty branch when the branch task never ran', () => {
    const { done } = pathTaken(branchy, ['a'], ['c'], false)
    expect(done.has('gw1_gw2')).toBe(true)
    expect(done.has('gw1_b')).toBe(false)
    expect(done.has('b')).toBe(false)
  })

  it('reaches the end only when the instance finished', () => {
    expect(pathTaken(branchy, ['a', 'c'], [], false).done.has('end')).toBe(false)
    const finished = pathTaken(branchy, ['a', 'c'], [], true).done
    expect(finished.has('end')).toBe(true)
    expect(finished.has('c_end')).toBe(true)
  })

  it('marks every branch into a parallel join', () => {
    const g = graph('start>pgw1', 'pgw1>x', 'pgw1>pgw2', 'x>pgw2', 'pgw2>y', 'y>end')
    const { done } = pathTaken(g, ['x'], ['y'], false)
    expect(done.has('pgw1_pgw2')).toBe(true)
    expect(done.has('x_pgw2')).toBe(true)
    expect(done.has('pgw2_y')).toBe(true)
  })

  it('ignores ids the diagram does not have and survives loops', () => {
    const g = graph('start>a', 'a>gw1', 'gw1>b', 'b>gw2', 'gw2>a', 'gw2>end')
    const { done, current } = pathTaken(g, ['a', 'b', 'ghost'], ['a'], false)
    expect(current).toEqual(new Set(['a']))
    expect(done.has('ghost')).toBe(false)
    expect(done.has('b')).toBe(true)
    expect(done.has('a_gw1')).toBe(true)
  })
})

describe('instance progress', () => {
  const base = { id: 1, definition_id: 1, form_id: 1, record_id: 1, title: 't', initiator_id: 1, initiator_name: 'a', row_version: 1, created_at: '', ended_at: null, version: 1 }
  const task = (node_id: string, status: string, kind = 'approval') => ({ id: 1, instance_id: 1, kind, node_id, node_name: node_id, mode: 'any', assignee_id: 1, candidates: [], status, comment: '', acted_at: null, created_at: '' })
  const event = (node_id: string | null, action: string) => ({ id: 1, task_id: null, node_id, node_name: null, action, actor_id: 1, actor_name: 'a', comment: '', details: {}, at: '' })

  it('reads visited steps from the history and decided seats, and the waiting ones from open seats', () => {
    const progress = instanceProgress({
      ...base,
      status: 'running',
      tasks: [task('a', 'approved'), task('b', 'open'), task('c', 'open'), task('cc_1', 'cc', 'cc')],
      events: [event(null, 'start'), event('a', 'approve'), event('cc_1', 'cc'), event('x', 'return')],
    })
    expect(progress.visited.sort()).toEqual(['a', 'cc_1'])
    expect(progress.waiting.sort()).toEqual(['b', 'c'])
    expect(progress.finished).toBe(false)
  })

  it('waits nowhere once the flow ended, and uses the path the server sends', () => {
    const progress = instanceProgress({ ...base, status: 'approved', tasks: [task('b', 'open')], events: [], path: ['gw_split', 'a'] })
    expect(progress.waiting).toEqual([])
    expect(progress.visited.sort()).toEqual(['a', 'gw_split'])
    expect(progress.finished).toBe(true)
  })
})

describe('BPMN model helpers', () => {
  it('reads the graph of parsed definitions', () => {
    const start = { $type: 'bpmn:StartEvent', id: 's', outgoing: [{ id: 'f1' }] }
    const task = { $type: 'bpmn:UserTask', id: 't', incoming: [{ id: 'f1' }] }
    const flow = { $type: 'bpmn:SequenceFlow', id: 'f1', sourceRef: start, targetRef: task }
    const graph = graphOf({ rootElements: [{ $type: 'bpmn:Process', id: 'p', flowElements: [start, task, flow] }] })
    expect(graph.nodes.s).toEqual({ id: 's', type: 'startEvent', incoming: [], outgoing: ['f1'] })
    expect(graph.nodes.t.type).toBe('userTask')
    expect(graph.flows.f1).toEqual({ id: 'f1', source: 's', target: 't' })
    expect(graphOf(null)).toEqual({ nodes: {}, flows: {} })
  })

  it('writes field permissions as gs:fields, leaving read-only (the default) out', () => {
    expect(parseFieldPermissions('qty:editable, cost:hidden note:readonly')).toEqual({ qty: 'editable', cost: 'hidden', note: 'readonly' })
    expect(formatFieldPermissions({ qty: 'editable', cost: 'hidden', note: 'readonly' })).toBe('qty:editable cost:hidden')
  })

  it('declares every gs attribute once per element type for bpmn-moddle', () => {
    const userTask = gsModdle.types.find((t) => t.extends[0] === 'bpmn:UserTask')!
    expect(userTask.properties.map((p) => p.name)).toContain('commentRequired')
    expect(userTask.properties.every((p) => p.isAttr && p.type === 'String')).toBe(true)
  })
})

describe('history wording', () => {
  const t = (key: string, values?: Record<string, unknown>) => `${key}${values ? JSON.stringify(values) : ''}`
  const event = (action: string, details: Record<string, unknown>, extra = {}) =>
    ({ id: 1, task_id: 1, node_id: 'a', node_name: 'A', action, actor_id: 1, actor_name: 'x', comment: '', details, at: '', ...extra }) as FlowEvent

  it('says who a task went to, who was copied, and for whom the actor acted', () => {
    expect(eventDetail(event('transfer', { to_name: 'Li' }), t)).toBe('flowInstance.transferredTo{"name":"Li"}')
    expect(eventDetail(event('return', { to_name: 'Manager' }), t)).toBe('flowInstance.returnedTo{"name":"Manager"}')
    expect(eventDetail(event('cc', { users: [{ id: 2, name: 'Wang' }, { id: 3 }] }), t)).toBe('flowInstance.copiedTo{"names":"Wang、#3"}')
    expect(eventDetail(event('approve', {}, { on_behalf_of: { id: 4, name: 'Zhao' } }), t)).toBe('flowInstance.onBehalfOf{"name":"Zhao"}')
    expect(eventDetail(event('approve', {}), t)).toBe('')
  })
})
