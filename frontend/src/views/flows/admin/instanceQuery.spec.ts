import { describe, expect, it } from 'vitest'
import { dayRange, instanceQuery } from './instanceQuery'

describe('the all-instances query', () => {
  it('leaves empty filters out', () => {
    expect(instanceQuery({ flowId: null, status: '', initiatorId: null, fromDay: null, toDay: null }, 1, 20)).toEqual({ page: 1, page_size: 20 })
  })

  it('sends flow, status, initiator and page', () => {
    expect(instanceQuery({ flowId: 4, status: 'running', initiatorId: 9 }, 3, 20)).toEqual({
      flow_id: 4,
      status: 'running',
      initiator_id: 9,
      page: 3,
      page_size: 20,
    })
  })

  it('turns days into the first day start and the last day end in the browser zone', () => {
    expect(dayRange('2026-05-01', '2026-05-03')).toEqual({
      created_from: new Date(2026, 4, 1).toISOString(),
      created_to: new Date(2026, 4, 3, 23, 59, 59, 999).toISOString(),
    })
    expect(dayRange(null, '2026-05-03')).toEqual({ created_to: new Date(2026, 4, 3, 23, 59, 59, 999).toISOString() })
    expect(dayRange('not a day', null)).toEqual({})
  })
})
