import { describe, expect, it } from 'vitest'
import type { Department } from '@/api/types'
import { buildDepartmentTree, descendantIds } from '@/composables/departmentTree'

function dep(id: number, name: string, parent_id: number | null, sort_order = 0): Department {
  return { id, name, parent_id, sort_order, head_user_id: null, created_at: '', updated_at: '' }
}

const names = (nodes: { name: string; children: unknown[] }[]): unknown =>
  nodes.map((n) => (n.children.length ? { [n.name]: names(n.children as never) } : n.name))

describe('buildDepartmentTree', () => {
  it('nests departments under their parents, ordered by sort order then name', () => {
    const tree = buildDepartmentTree([
      dep(4, 'Warehouse B', 2, 1),
      dep(1, 'Head office', null),
      dep(2, 'Operations', 1, 2),
      dep(3, 'Finance', 1, 1),
      dep(5, 'Warehouse A', 2, 1),
    ])
    expect(names(tree)).toEqual([{ 'Head office': ['Finance', { Operations: ['Warehouse A', 'Warehouse B'] }] }])
  })

  it('keeps a department whose parent is missing at the top level', () => {
    const tree = buildDepartmentTree([dep(1, 'Sales', null), dep(2, 'Orphan', 99)])
    expect(tree.map((n) => n.name).sort()).toEqual(['Orphan', 'Sales'])
  })

  it('does not loop or lose departments that form a cycle', () => {
    const tree = buildDepartmentTree([dep(1, 'A', 2), dep(2, 'B', 1)])
    const count = (nodes: { children: unknown[] }[]): number =>
      nodes.reduce((sum, n) => sum + 1 + count(n.children as never), 0)
    expect(count(tree)).toBe(2)
  })

  it('returns an empty tree for no departments', () => {
    expect(buildDepartmentTree([])).toEqual([])
  })
})

describe('descendantIds', () => {
  it('lists a department and everything below it', () => {
    const list = [dep(1, 'A', null), dep(2, 'B', 1), dep(3, 'C', 2), dep(4, 'D', null)]
    expect([...descendantIds(list, 1)].sort()).toEqual([1, 2, 3])
  })
})
