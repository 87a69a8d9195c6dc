import { describe, expect, it } from 'vitest'
import type { InstanceMove } from '@/api/flows'
import { cleanMapping, expectedInstances, mappingTargets, moveState, unmappedNodes, withResults } from './migrationPlan'

const at = (node_id: string, name: string, type = 'userTask') => ({ node_id, name, type })

function row(id: number, can_move: boolean, waiting = [at('manager', 'Manager')], extra: Partial<InstanceMove> = {}): InstanceMove {
  return { id, title: `Request ${id}`, row_version: id * 10, waiting, can_move, moves: {}, reasons: can_move ? [] : ['why not'], ...extra }
}

const target = {
  manager: { type: 'userTask', name: 'Manager' },
  gm: { type: 'userTask', name: 'General manager' },
  notify: { type: 'serviceTask', name: 'Notify' },
  nameless: { type: 'userTask' },
}

describe('a migration plan', () => {
  it('says where each instance stands before and after the move', () => {
    expect(moveState(row(1, true))).toBe('movable')
    expect(moveState(row(2, false))).toBe('blocked')
    expect(moveState(row(3, true, undefined, { moved: true }))).toBe('moved')
    expect(moveState(row(4, true, undefined, { moved: false, reasons: ['changed since the preview'] }))).toBe('refused')
  })

  it('asks for a mapping only for waiting nodes the target version lacks, once each', () => {
    const rows = [row(1, true), row(2, false, [at('director', 'Director')]), row(3, false, [at('director', 'Director'), at('manager', 'Manager')])]
    expect(unmappedNodes(rows, target)).toEqual([at('director', 'Director')])
    expect(unmappedNodes([row(1, true)], target)).toEqual([])
  })

  it('offers only target nodes of the same type, named or by id', () => {
    expect(mappingTargets(at('director', 'Director'), target)).toEqual([
      { id: 'manager', name: 'Manager' },
      { id: 'gm', name: 'General manager' },
      { id: 'nameless', name: 'nameless' },
    ])
    expect(mappingTargets(at('mail', 'Mail', 'serviceTask'), target)).toEqual([{ id: 'notify', name: 'Notify' }])
  })

  it('sends only the nodes the user mapped', () => {
    expect(cleanMapping({ director: 'gm', clerk: null, other: undefined, empty: '' })).toEqual({ director: 'gm' })
  })

  it('moves only chosen instances that can move, with the row version the preview saw', () => {
    const rows = [row(1, true), row(2, false), row(3, true)]
    expect(expectedInstances(rows, [2, 3, 9])).toEqual([{ id: 3, row_version: 30 }])
    expect(expectedInstances(rows, [])).toEqual([])
  })

  it('lays the answer over the preview and keeps the instances it does not name', () => {
    const preview = [row(1, true), row(2, false), row(3, true)]
    const answer = [
      row(1, true, [], { moved: true, title: '' }),
      row(3, true, [], { moved: false, reasons: ['It changed since the preview.'] }),
    ]
    const merged = withResults(preview, answer)
    expect(merged.map(moveState)).toEqual(['moved', 'blocked', 'refused'])
    expect(merged[0].title).toBe('Request 1')
    expect(merged[2].reasons).toEqual(['It changed since the preview.'])
  })
})
