/** Display of the API's decimal strings (quantities, values, metrics) in the UI language. */

export function formatDecimal(value: string | number | null | undefined, locale: string, digits = 2): string {
  if (value === null || value === undefined || value === '') return '—'
  const n = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(n)) return String(value)
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n)
}

/** "12 days left", "expires today" or "3 days overdue" as a key and a count for i18n. */
export function daysLeftText(days: number | null | undefined): { key: 'unknown' | 'left' | 'today' | 'overdue'; n: number } {
  if (days === null || days === undefined) return { key: 'unknown', n: 0 }
  if (days > 0) return { key: 'left', n: days }
  if (days === 0) return { key: 'today', n: 0 }
  return { key: 'overdue', n: -days }
}
