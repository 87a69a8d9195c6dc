import { describe, expect, it } from 'vitest'
import { deliveryQuery, emptyFilters, filtersFromRoute } from '@/connectors/deliveryLog'

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

  it('are read back from a link to the log', () => {
    expect(filtersFromRoute({ connector_id: '3', status: 'dead', q: 'B-001' })).toEqual({ connectorId: 3, status: 'dead', range: null, text: 'B-001' })
    expect(filtersFromRoute({ connector_id: 'x', status: 'lost' })).toEqual(emptyFilters())
  })
})
