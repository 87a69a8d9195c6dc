import { describe, expect, it } from 'vitest'
import {
  addBranch,
  at,
  emptyTree,
  errorFields,
  errorsAt,
  holderOf,
  insertAfter,
  isOtherwise,
  moveBranch,
  newNode,
  pathsWithErrors,
  removeAfter,
  removeBranch,
  walk,
  type FlowNode,
} from '@/flows/tree'
import { formatAssignee, newRule, parseAssignee } from '@/flows/assignee'
import { editedValues, enabledActions, needsComment, permissionOf, taskPermissions, visibleFields } from '@/flows/taskView'
import type { FieldMeta } from '@/api/formTypes'
import type { FlowTask } from '@/api/flows'

/** initiator -> manager -> branch(A: director | otherwise) -> cc */
function sample(): FlowNode {
  const tree = emptyTree()
  const manager = insertAfter(tree, newNode(tree, 'approver', 'Manager'))
  const branch = insertAfter(manager, newNode(tree, 'branch'))
  branch.branches![0].condition = { '==': [{ var: 'category' }, 'A'] }
  insertAfter(branch.branches![0], newNode(tree, 'approver', 'Director'))
  insertAfter(branch, newNode(tree, 'cc', 'Copy'))
  return tree
}

describe('simple designer tree', () => {
  it('walks nodes in drawing order with the paths the server uses', () => {
    const paths = walk(sample()).map((e) => `${e.path}:${e.node.type}`)
    expect(paths).toEqual([
      'tree:initiator',
      'tree.child:approver',
      'tree.child.child:branch',
      'tree.child.child.branches.0.child:approver',
      'tree.child.child.child:cc',
    ])
  })

  it('gives new nodes ids that are not taken yet', () => {
    const tree = sample()
    expect(walk(tree).map((e) => e.node.id)).toEqual([undefined, 'approve_1', 'branch_1', 'approve_2', 'cc_1'])
    expect(newNode(tree, 'approver').id).toBe('approve_3')
  })

  it('inserts after a node and keeps what followed it', () => {
    const tree = sample()
    const manager = tree.child!
    insertAfter(manager, newNode(tree, 'approver', 'Deputy'))
    expect(walk(tree).map((e) => e.node.name || e.node.type).slice(0, 4)).toEqual(['initiator', 'Manager', 'Deputy', 'branch'])
  })

  it('inserts at the head of a branch chain', () => {
    const tree = sample()
    const branch = tree.child!.child!
    insertAfter(branch.branches![0], newNode(tree, 'cc', 'First'))
    expect(branch.branches![0].child!.name).toBe('First')
    expect(branch.branches![0].child!.child!.name).toBe('Director')
  })

  it('removes a node and moves the rest of the chain up', () => {
    const tree = sample()
    const removed = removeAfter(holderOf(tree, 'tree.child.child')!)
    expect(removed?.type).toBe('branch')
    expect(tree.child!.child!.type).toBe('cc')
    expect(removeAfter(holderOf(tree, 'tree.child.child')!)?.type).toBe('cc')
    expect(tree.child!.child).toBeNull()
  })

  it('finds the holder of a node inside a branch', () => {
    const tree = sample()
    const holder = holderOf(tree, 'tree.child.child.branches.0.child')
    expect(holder).toBe(tree.child!.child!.branches![0])
    expect(holderOf(tree, 'tree')).toBeNull()
    expect(at(tree, 'tree.child.child.branches.1')).toEqual({ name: '', condition: null, child: null })
    expect(at(tree, 'tree.nothing.here')).toBeNull()
  })

  it('adds condition branches before "otherwise" and keeps at least two', () => {
    const tree = sample()
    const branch = tree.child!.child!
    addBranch(branch)
    expect(branch.branches!.length).toBe(3)
    expect(isOtherwise(branch, 2)).toBe(true)
    expect(isOtherwise(branch, 1)).toBe(false)
    expect(removeBranch(branch, 1)).toBe(true)
    expect(removeBranch(branch, 1)).toBe(false)
    expect(branch.branches!.length).toBe(2)
  })

  it('appends parallel branches and moves branches in order', () => {
    const tree = emptyTree()
    const parallel = insertAfter(tree, newNode(tree, 'parallel'))
    addBranch(parallel)
    parallel.branches![2].name = 'third'
    expect(moveBranch(parallel, 2, -1)).toBe(true)
    expect(parallel.branches![1].name).toBe('third')
    expect(moveBranch(parallel, 0, -1)).toBe(false)
  })

  it('gives a new approver an empty assignment and or-sign', () => {
    const node = newNode(emptyTree(), 'approver', 'Boss')
    expect(node).toMatchObject({ type: 'approver', name: 'Boss', assignee: '', mode: 'any', empty: 'refuse' })
  })

  it('matches server errors to the node they are about, not the nodes after it', () => {
    const tree = sample()
    const errors = {
      'tree.child.assignee': ['Required.'],
      'tree.child.child.branches.0.condition': ['Unknown field'],
      'tree.child.child.branches.0.child': ['An approver is required'],
      'tree.child.child.child.assignee': ['Required.'],
    }
    expect(errorsAt(errors, 'tree.child')).toEqual(['Required.'])
    expect(errorFields(errors, 'tree.child.child')).toEqual({ 'branches.0.condition': ['Unknown field'] })
    expect(errorsAt(errors, 'tree.child.child.branches.0.child')).toEqual(['An approver is required'])
    expect([...pathsWithErrors(tree, errors)]).toEqual([
      'tree.child',
      'tree.child.child',
      'tree.child.child.branches.0.child',
      'tree.child.child.child',
    ])
    expect(errorFields({ tree: ['no'] }, 'tree')).toEqual({ _node: ['no'] })
  })
})

describe('assignment text', () => {
  it('reads every kind of rule', () => {
    expect(parseAssignee('user:7 role:director dept_head:2 field:owner initiator')).toEqual([
      { kind: 'user', value: '7' },
      { kind: 'role', value: 'director' },
      { kind: 'dept_head', value: '2' },
      { kind: 'field', value: 'owner' },
      { kind: 'initiator', value: '' },
    ])
    expect(parseAssignee('')).toEqual([])
    expect(parseAssignee('dept_head')).toEqual([{ kind: 'dept_head', value: '' }])
  })

  it('writes the rules back, leaving out unfinished ones', () => {
    expect(
      formatAssignee([
        { kind: 'role', value: 'director' },
        newRule('user'),
        newRule('dept_head'),
        { kind: 'dept_head', value: '3' },
        { kind: 'initiator', value: '' },
      ]),
    ).toBe('role:director dept_head dept_head:3 initiator')
  })

  it('round-trips what it reads', () => {
    const text = 'user:admin role:sales_director dept_head:2 field:buyer'
    expect(formatAssignee(parseAssignee(text))).toBe(text)
  })
})

describe('what an approver sees', () => {
  const fields = [
    { key: 'qty', type: 'integer', label: { zh: '数量' } },
    { key: 'cost', type: 'money', label: { zh: '成本' } },
    { key: 'note', type: 'text', label: { zh: '备注' } },
    { key: 'old', type: 'text', label: { zh: '旧' }, removed: true },
  ] as FieldMeta[]
  const task = (extra: Partial<FlowTask> = {}) =>
    ({ id: 1, kind: 'approval', status: 'open', instance_status: 'running', ...extra }) as FlowTask

  it('leaves hidden and removed fields out and reads unnamed ones as read-only', () => {
    const permissions = taskPermissions(task({ fields: { qty: 'editable', cost: 'hidden' } }))
    expect(visibleFields(fields, permissions).map((f) => f.key)).toEqual(['qty', 'note'])
    expect(permissionOf(permissions, 'note')).toBe('readonly')
    expect(editedValues(fields, permissions, { qty: 3, note: 'x', cost: 1 })).toEqual({ qty: 3 })
  })

  it('offers approve and the enabled actions, and nothing once decided', () => {
    expect(enabledActions(task())).toEqual(['approve', 'reject', 'return', 'transfer', 'add_signer', 'delegate', 'cc'])
    expect(enabledActions(task({ actions: ['reject', 'transfer'] }))).toEqual(['approve', 'reject', 'transfer'])
    expect(enabledActions(task({ status: 'approved' }))).toEqual([])
    expect(enabledActions(task({ instance_status: 'rejected' }))).toEqual([])
    expect(enabledActions(task({ kind: 'cc', status: 'cc' }))).toEqual([])
  })

  it('says when an action needs a comment', () => {
    expect(needsComment(task({ comment_required: ['reject'] }), 'reject')).toBe(true)
    expect(needsComment(task(), 'reject')).toBe(false)
  })
})
