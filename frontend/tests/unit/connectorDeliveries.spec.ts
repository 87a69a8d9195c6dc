import { describe, expect, it } from 'vitest'
import type { Delivery } from '@/api/connectors'
import { deliveryQuery, emptyFilters, filtersFromRoute, matchesFilters } from '@/connectors/deliveryLog'

function delivery(extra: Partial<Delivery> = {}): Delivery {
  return {
    id: 7,
    connector_id: 3,
    action: 'send_text',
    inputs: { content: '批次 B-001 临期' },
    idempotency_key: 'alert-12-red',
    status: 'dead',
    attempts: 5,
    max_attempts: 5,
    last_error: 'DingTalk refused: 310000 sign not match',
    response_status: 200,
    response_excerpt: null,
    latency_ms: 41,
    next_attempt_at: null,
    created_at: '2026-11-20T08:30:00+00:00',
    finished_at: '2026-11-20T09:00:00+00:00',
    ...extra,
  }
}

describe('delivery log filters', () => {
  it('become the API query, leaving out what is not set', () => {
    expect(deliveryQuery(emptyFilters(), 1, 20)).toEqual({ page: 1, page_size: 20 })
    const range: [Date, Date] = [new Date('2026-11-20T00:00:00Z'), new Date('2026-11-21T00:00:00Z')]
    expect(deliveryQuery({ connectorId: 3, status: 'dead', range, text: ' sign ' }, 2, 50)).toEqual({
      page: 2,
      page_size: 50,
      connector_id: 3,
      status: 'dead',
      created_from: '2026-11-20T00:00:00.000Z',
      created_to: '2026-11-21T00:00:00.000Z',
      q: 'sign',
    })
  })

  it('match a delivery on connector, status, time and text in its key, error or content', () => {
    const d = delivery()
    expect(matchesFilters(d, { ...emptyFilters(), status: 'dead', text: 'SIGN NOT' })).toBe(true)
    expect(matchesFilters(d, { ...emptyFilters(), text: 'B-001' })).toBe(true)
    expect(matchesFilters(d, { ...emptyFilters(), status: 'succeeded' })).toBe(false)
    expect(matchesFilters(d, { ...emptyFilters(), connectorId: 4 })).toBe(false)
    expect(matchesFilters(d, { ...emptyFilters(), range: [new Date('2026-11-21T00:00:00Z'), new Date('2026-11-22T00:00:00Z')] })).toBe(false)
  })

  it('are read back from a link to the log', () => {
    expect(filtersFromRoute({ connector_id: '3', status: 'dead', q: 'B-001' })).toEqual({ connectorId: 3, status: 'dead', range: null, text: 'B-001' })
    expect(filtersFromRoute({ connector_id: 'x', status: 'lost' })).toEqual(emptyFilters())
  })
})
