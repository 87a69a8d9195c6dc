/** Turns an audit entry's diff {field: [before, after]} into lines a person can read. */

export interface DiffLine {
  field: string
  before: string
  after: string
}

export function formatAuditValue(value: unknown, empty: string): string {
  if (value === null || value === undefined || value === '') return empty
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

export function diffLines(diff: Record<string, unknown> | null | undefined, empty: string): DiffLine[] {
  if (!diff) return []
  return Object.entries(diff).map(([field, change]) => {
    const [before, after] = Array.isArray(change) ? change : [undefined, change]
    return { field, before: formatAuditValue(before, empty), after: formatAuditValue(after, empty) }
  })
}
