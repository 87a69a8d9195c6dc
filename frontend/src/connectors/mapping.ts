/**
 * A field mapping (form field -> where its value comes from in the incoming JSON) as rows a
 * person edits, and back. A source is a JSONPath (`$.lot.no`), a top-level key (`qty`) or a
 * template (`{"template": "{{ row.a }}-{{ row.b }}"}`); the server checks each against the form.
 */
import type { FieldSource } from '@/api/connectors'

export interface MappingRow {
  field: string
  source: string
  template: boolean
}

export interface MappingProblem {
  /** `rows.<index>.field` or `rows.<index>.source`, or `rows` for the mapping as a whole. */
  path: string
  keyword: 'required' | 'duplicate' | 'empty'
}

export function mappingRows(mapping: Record<string, FieldSource> | null | undefined): MappingRow[] {
  return Object.entries(mapping ?? {}).map(([field, source]) =>
    typeof source === 'string' ? { field, source, template: false } : { field, source: source.template, template: true },
  )
}

export function blankRow(): MappingRow {
  return { field: '', source: '', template: false }
}

/** The mapping to send; rows left wholly empty are dropped. */
export function mappingFromRows(rows: readonly MappingRow[]): { mapping: Record<string, FieldSource>; problems: MappingProblem[] } {
  const mapping: Record<string, FieldSource> = {}
  const problems: MappingProblem[] = []
  rows.forEach((row, index) => {
    const source = row.template ? row.source : row.source.trim()
    if (!row.field && !source.trim()) return
    if (!row.field) problems.push({ path: `rows.${index}.field`, keyword: 'required' })
    if (!source.trim()) problems.push({ path: `rows.${index}.source`, keyword: 'required' })
    if (row.field && row.field in mapping) problems.push({ path: `rows.${index}.field`, keyword: 'duplicate' })
    if (row.field && source.trim() && !(row.field in mapping)) mapping[row.field] = row.template ? { template: source } : source
  })
  if (!Object.keys(mapping).length && !problems.length) problems.push({ path: 'rows', keyword: 'empty' })
  return { mapping, problems }
}

/** Key fields must be mapped: the ones still mapped, in the order chosen. */
export function keptKeyFields(keyFields: readonly string[], rows: readonly MappingRow[]): string[] {
  const mapped = new Set(rows.map((r) => r.field).filter(Boolean))
  return keyFields.filter((k) => mapped.has(k))
}

export interface PlacedMappingErrors {
  /** Row index -> message. */
  rows: Record<number, string>
  keyFields: string
  general: string[]
}

/** Places the server's `mapping.<field>` and `key_fields.<n>` errors on the rows. */
export function placeMappingErrors(errors: Record<string, string[]>, rows: readonly MappingRow[]): PlacedMappingErrors {
  const placed: PlacedMappingErrors = { rows: {}, keyFields: '', general: [] }
  for (const [path, messages] of Object.entries(errors)) {
    const text = messages.join(' ')
    if (path.startsWith('mapping.')) {
      const field = path.slice('mapping.'.length).split('.')[0]
      const index = rows.findIndex((r) => r.field === field)
      if (index >= 0) placed.rows[index] = placed.rows[index] ? `${placed.rows[index]} ${text}` : text
      else placed.general.push(text)
    } else if (path === 'key_fields' || path.startsWith('key_fields.')) {
      placed.keyFields = placed.keyFields ? `${placed.keyFields} ${text}` : text
    } else if (path === 'mapping') {
      placed.general.push(text)
    }
  }
  return placed
}
