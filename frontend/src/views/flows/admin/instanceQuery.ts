/** Turns the all-instances page's filters into the listing's query (empty filters left out). */
import type { AdminInstanceQuery } from '@/api/flows'

export interface InstanceFilters {
  flowId?: number | null
  status?: string | null
  initiatorId?: number | null
  /** First and last day of the start (YYYY-MM-DD, both included). */
  fromDay?: string | null
  toDay?: string | null
}

function localDay(day: string, endOfDay: boolean): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!match) return null
  const [year, month, date] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])]
  return endOfDay ? new Date(year, month, date, 23, 59, 59, 999) : new Date(year, month, date)
}

/** The days as instants in the browser's time zone: from the first day's start to the last day's end. */
export function dayRange(fromDay?: string | null, toDay?: string | null): Pick<AdminInstanceQuery, 'created_from' | 'created_to'> {
  const from = fromDay ? localDay(fromDay, false) : null
  const to = toDay ? localDay(toDay, true) : null
  return {
    ...(from ? { created_from: from.toISOString() } : {}),
    ...(to ? { created_to: to.toISOString() } : {}),
  }
}

export function instanceQuery(filters: InstanceFilters, page: number, pageSize: number): AdminInstanceQuery {
  return {
    ...(filters.flowId ? { flow_id: filters.flowId } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.initiatorId ? { initiator_id: filters.initiatorId } : {}),
    ...dayRange(filters.fromDay, filters.toDay),
    page,
    page_size: pageSize,
  }
}
