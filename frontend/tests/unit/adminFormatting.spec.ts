import { describe, expect, it } from 'vitest'
import { diffLines } from '@/views/admin/audit/diff'
import { parseCondition } from '@/views/admin/roles/condition'
import { formatDateTime } from '@/composables/useDateFormat'

describe('audit diff lines', () => {
  it('shows each field as before -> after, with a marker for empty values', () => {
    expect(diffLines({ name: ['Old', 'New'], parent_id: [null, 3], tags: [[], ['a']] }, '(empty)')).toEqual([
      { field: 'name', before: 'Old', after: 'New' },
      { field: 'parent_id', before: '(empty)', after: '3' },
      { field: 'tags', before: '[]', after: '["a"]' },
    ])
  })

  it('has no lines when nothing changed', () => {
    expect(diffLines(null, '-')).toEqual([])
  })
})

describe('custom data-scope condition', () => {
  it('accepts a JSON object and refuses anything else', () => {
    expect(parseCondition('{"==": [{"var": "warehouse"}, "WH-01"]}')).toEqual({ '==': [{ var: 'warehouse' }, 'WH-01'] })
    expect(parseCondition('[1, 2]')).toBeNull()
    expect(parseCondition('{oops')).toBeNull()
  })
})

describe('formatDateTime', () => {
  it('shows UTC timestamps in the tenant time zone', () => {
    expect(formatDateTime('2024-03-01T16:30:00Z', 'en', 'Asia/Shanghai')).toContain('00:30:00')
  })

  it('shows nothing for a missing timestamp', () => {
    expect(formatDateTime(null, 'en', 'UTC')).toBe('')
  })
})
