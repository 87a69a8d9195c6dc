/**
 * Builds the department tree from the flat list the API returns. Children are ordered by
 * sort_order then name; a department whose parent is missing (or that would close a cycle)
 * is shown at the top level rather than dropped.
 */
import type { Department } from '@/api/types'

export interface DepartmentNode extends Department {
  children: DepartmentNode[]
}

function compare(a: Department, b: Department): number {
  return a.sort_order - b.sort_order || a.name.localeCompare(b.name) || a.id - b.id
}

function leadsToCycle(dep: Department, byId: Map<number, Department>): boolean {
  const seen = new Set<number>([dep.id])
  let parentId = dep.parent_id
  while (parentId !== null && byId.has(parentId)) {
    if (seen.has(parentId)) return true
    seen.add(parentId)
    parentId = byId.get(parentId)!.parent_id
  }
  return false
}

export function buildDepartmentTree(departments: Department[]): DepartmentNode[] {
  const byId = new Map(departments.map((d) => [d.id, d]))
  const nodes = new Map<number, DepartmentNode>(departments.map((d) => [d.id, { ...d, children: [] }]))
  const roots: DepartmentNode[] = []
  for (const dep of [...departments].sort(compare)) {
    const node = nodes.get(dep.id)!
    const parent = dep.parent_id === null ? undefined : nodes.get(dep.parent_id)
    if (parent && !leadsToCycle(dep, byId)) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

/** Ids of a department and everything below it: what cannot become its own parent. */
export function descendantIds(departments: Department[], rootId: number): Set<number> {
  const ids = new Set<number>([rootId])
  let grew = true
  while (grew) {
    grew = false
    for (const d of departments) {
      if (d.parent_id !== null && ids.has(d.parent_id) && !ids.has(d.id)) {
        ids.add(d.id)
        grew = true
      }
    }
  }
  return ids
}
