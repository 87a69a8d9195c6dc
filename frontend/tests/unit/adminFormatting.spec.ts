import { describe, expect, it } from 'vitest'
import { parseCondition } from '@/views/admin/roles/condition'
import { formatDateTime } from '@/composables/useDateFormat'

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
