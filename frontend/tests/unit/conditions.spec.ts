import { describe, expect, it } from 'vitest'
import type { FieldMeta } from '@/api/formTypes'
import {
  conditionFields,
  fromExpression,
  operatorsFor,
  rowIsComplete,
  toExpression,
  type ConditionGroup,
} from '@/forms/conditions'

const group = (combinator: 'all' | 'any', rows: ConditionGroup['rows']): ConditionGroup => ({ combinator, rows })

describe('condition builder <-> expression JSON', () => {
  const cases: [string, ConditionGroup, unknown][] = [
    ['equals', group('all', [{ field: 'warehouse', op: '==', value: 'WH-01' }]), { and: [{ '==': [{ var: 'warehouse' }, 'WH-01'] }] }],
    ['not equals', group('all', [{ field: 'damaged', op: '!=', value: true }]), { and: [{ '!=': [{ var: 'damaged' }, true] }] }],
    ['ordering', group('all', [{ field: 'qty', op: '<=', value: 10 }]), { and: [{ '<=': [{ var: 'qty' }, 10] }] }],
    ['greater', group('all', [{ field: 'expiry', op: '>', value: '2026-01-01' }]), { and: [{ '>': [{ var: 'expiry' }, '2026-01-01'] }] }],
    ['one of', group('all', [{ field: 'kind', op: 'in', value: ['a', 'b'] }]), { and: [{ in: [{ var: 'kind' }, ['a', 'b']] }] }],
    ['contains', group('all', [{ field: 'tags', op: 'contains', value: 'cold' }]), { and: [{ contains: [{ var: 'tags' }, 'cold'] }] }],
    ['is empty', group('all', [{ field: 'note', op: 'empty', value: null }]), { and: [{ missing: ['note'] }] }],
    ['is not empty', group('all', [{ field: 'note', op: 'not_empty', value: null }]), { and: [{ '!': { missing: ['note'] } }] }],
    [
      'any of several',
      group('any', [
        { field: 'qty', op: '>', value: 100 },
        { field: 'damaged', op: '==', value: true },
      ]),
      { or: [{ '>': [{ var: 'qty' }, 100] }, { '==': [{ var: 'damaged' }, true] }] },
    ],
  ]

  it.each(cases)('%s: rows -> JSON -> rows', (_name, rows, json) => {
    expect(toExpression(rows)).toEqual(json)
    expect(fromExpression(json)).toEqual(rows)
    expect(toExpression(fromExpression(json)!)).toEqual(json)
  })

  it('gives no condition for no rows, and reads no condition as an empty group', () => {
    expect(toExpression(group('all', []))).toBeNull()
    expect(fromExpression(null)).toEqual(group('all', []))
  })

  it('reads a lone comparison as an "all" group of one row', () => {
    expect(fromExpression({ '==': [{ var: 'qty' }, 3] })).toEqual(group('all', [{ field: 'qty', op: '==', value: 3 }]))
  })

  it('leaves what rows cannot say to the JSON view', () => {
    expect(fromExpression({ and: [{ '<': [{ days_until: [{ var: 'expiry' }] }, 30] }] })).toBeNull()
    expect(fromExpression({ and: [{ or: [{ missing: ['a'] }] }] })).toBeNull()
    expect(fromExpression({ '==': [1, 1] })).toBeNull()
    expect(fromExpression('text')).toBeNull()
  })

  it('offers the operators the expression checker accepts for each type', () => {
    expect(operatorsFor('array')).toEqual(['contains', 'empty', 'not_empty'])
    expect(operatorsFor('boolean')).not.toContain('<')
    expect(operatorsFor('decimal')).toContain('>=')
    expect(operatorsFor(null)).toEqual([])
  })

  it('lists only fields an expression can read', () => {
    const fields = [
      { key: 'qty', type: 'integer', label: 'Qty' },
      { key: 'photo', type: 'image', label: 'Photo' },
      { key: 'lines', type: 'subtable', label: 'Lines', fields: [] },
      { key: 'old', type: 'text', label: 'Old', removed: true },
      { key: 'total', type: 'formula', label: 'Total', result_type: 'decimal' },
    ] as FieldMeta[]
    expect(conditionFields(fields).map((f) => f.key)).toEqual(['qty', 'total'])
  })

  it('knows when a row is ready to send', () => {
    expect(rowIsComplete({ field: 'qty', op: '==', value: null })).toBe(false)
    expect(rowIsComplete({ field: 'qty', op: '==', value: 0 })).toBe(true)
    expect(rowIsComplete({ field: 'kind', op: 'in', value: [] })).toBe(false)
    expect(rowIsComplete({ field: 'note', op: 'empty', value: null })).toBe(true)
    expect(rowIsComplete({ field: '', op: 'empty', value: null })).toBe(false)
  })
})
