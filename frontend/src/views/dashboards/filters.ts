/**
 * The dashboard's global filters (date range, warehouse, category) as the filter bar holds
 * them and as every chart call sends them: empty picks are left out, so "no filter" is {}.
 * A pick keeps its kind both ways: a choice field's option is text, a relation field's
 * record is its id, a number (the server compares it with the field as it is stored).
 */
import type { EqualsValue, GlobalFilters } from './types'

/** The semantic filters the bar offers; the server maps each onto the fields of a chart's form. */
export const EQUALS_FILTERS = ['warehouse', 'category'] as const
export type EqualsFilter = (typeof EQUALS_FILTERS)[number]

export interface FilterPicks {
  /** [from, to] as YYYY-MM-DD, or null for any date. */
  dates: [string, string] | null
  /** An option's value or a related record's id; '' for none. */
  warehouse: EqualsValue
  category: EqualsValue
}

/** A saved value as the bar holds it: text stays text, an id stays a number, anything else is no pick. */
function pickOf(value: unknown): EqualsValue {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value)) ? value : ''
}

export function picksOf(filters: GlobalFilters | null | undefined): FilterPicks {
  const from = filters?.date_from || ''
  const to = filters?.date_to || ''
  return {
    dates: from && to ? [from, to] : null,
    warehouse: pickOf(filters?.equals?.warehouse),
    category: pickOf(filters?.equals?.category),
  }
}

export function filtersOf(picks: FilterPicks): GlobalFilters {
  const out: GlobalFilters = {}
  if (picks.dates?.[0] && picks.dates[1]) {
    out.date_from = picks.dates[0]
    out.date_to = picks.dates[1]
  }
  const equals: Record<string, EqualsValue> = {}
  for (const name of EQUALS_FILTERS) if (picks[name] !== '') equals[name] = picks[name]
  if (Object.keys(equals).length) out.equals = equals
  return out
}

/** How many filters are set (for the phone's collapsed filter button). */
export function activeCount(picks: FilterPicks): number {
  return (picks.dates ? 1 : 0) + EQUALS_FILTERS.filter((n) => picks[n] !== '').length
}

function iso(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** The last `days` days up to `today`, both ends included. */
export function lastDays(days: number, today = new Date()): [string, string] {
  const from = new Date(today)
  from.setDate(from.getDate() - (days - 1))
  return [iso(from), iso(today)]
}

/** From the first of the month to `today`. */
export function monthToDate(today = new Date()): [string, string] {
  return [iso(new Date(today.getFullYear(), today.getMonth(), 1)), iso(today)]
}

/** Auto-refresh choices in seconds; 0 is off. */
export const REFRESH_CHOICES = [0, 30, 60, 300, 900, 3600]
