/** The delivery log's filters as an API query (the server applies them all), and how each status looks. */
import type { DeliveryQuery, DeliveryStatus } from '@/api/connectors'

export const STATUS_TAGS: Record<DeliveryStatus, 'info' | 'primary' | 'warning' | 'success' | 'danger'> = {
  pending: 'info',
  sending: 'primary',
  retrying: 'warning',
  succeeded: 'success',
  dead: 'danger',
}

/** Statuses a delivery can still leave on its own: the log refreshes while any is shown. */
export const MOVING: ReadonlySet<DeliveryStatus> = new Set(['pending', 'sending', 'retrying'])

export interface DeliveryFilters {
  connectorId: number | null
  status: DeliveryStatus | null
  /** [from, to] as Date objects from the date-time range picker, or null. */
  range: [Date, Date] | null
  text: string
}

export function emptyFilters(): DeliveryFilters {
  return { connectorId: null, status: null, range: null, text: '' }
}

export function deliveryQuery(filters: DeliveryFilters, page: number, pageSize: number): DeliveryQuery {
  const query: DeliveryQuery = { page, page_size: pageSize }
  if (filters.connectorId) query.connector_id = filters.connectorId
  if (filters.status) query.status = filters.status
  if (filters.range) {
    query.created_from = filters.range[0].toISOString()
    query.created_to = filters.range[1].toISOString()
  }
  const text = filters.text.trim()
  if (text) query.q = text
  return query
}

/** The route query that opens the log with these filters (shareable, survives reload). */
export function filtersFromRoute(query: Record<string, unknown>): DeliveryFilters {
  const filters = emptyFilters()
  const id = Number(query.connector_id)
  if (Number.isInteger(id) && id > 0) filters.connectorId = id
  const status = query.status
  if (typeof status === 'string' && status in STATUS_TAGS) filters.status = status as DeliveryStatus
  if (typeof query.q === 'string') filters.text = query.q
  return filters
}
