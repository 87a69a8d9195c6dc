/**
 * A record being edited: starting values, the body sent to the API, the browser's checks
 * (JSON Schema of the published form + required / required_if + visible_if) and the
 * server's field errors mapped onto field paths. Shared by the console and the phone.
 */
import type { FieldMeta, RecordValues } from '@/api/formTypes'
import { DECIMAL_TYPES, FILE_TYPES, MULTI_CHOICE_TYPES, isComputed } from './fieldTypes'
import { validateSchema, type JsonSchema, type SchemaProblem } from './jsonSchema'
import { expressionTypes, formulaValue, isRequired, isVisible } from './linkage'

export type Problem = Pick<SchemaProblem, 'keyword' | 'params'>

export function activeFields(fields: FieldMeta[]): FieldMeta[] {
  return fields.filter((f) => !f.removed)
}

export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
}

export function emptyValue(field: FieldMeta): unknown {
  if (field.type === 'subtable' || MULTI_CHOICE_TYPES.includes(field.type) || FILE_TYPES.includes(field.type)) return []
  if (field.type === 'switch') return false
  return null
}

function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T)
}

/** Values of a new record (defaults) or of a loaded one (missing fields filled in). */
export function initialValues(fields: FieldMeta[], record?: RecordValues): RecordValues {
  const values: RecordValues = {}
  for (const field of activeFields(fields)) {
    const stored = record?.[field.key]
    if (record && stored !== undefined && stored !== null) values[field.key] = copy(stored)
    else if (!record && field.default !== undefined && field.default !== null) values[field.key] = copy(field.default)
    else values[field.key] = emptyValue(field)
  }
  return values
}

/** A new sub-table row with its children's defaults. */
export function newRow(subtable: FieldMeta): RecordValues {
  return initialValues(subtable.fields ?? [])
}

/** What conditions and formulas read: the typed values plus the formulas computed from them. */
export function expressionData(fields: FieldMeta[], values: RecordValues, today: string): RecordValues {
  const data: RecordValues = { ...values }
  const types = expressionTypes(fields)
  for (const field of activeFields(fields)) {
    if (field.type === 'formula') data[field.key] = formulaValue(field, data, today, types)
  }
  return data
}

function cleanValue(field: FieldMeta, value: unknown): unknown {
  if (typeof value === 'string') {
    const text = field.type === 'textarea' || field.type === 'richtext' ? value : value.trim()
    return text === '' ? null : text
  }
  if (field.type === 'subtable') {
    const rows = Array.isArray(value) ? (value as RecordValues[]) : []
    return rows.map((row) => {
      const out: RecordValues = {}
      if (typeof row.id === 'number') out.id = row.id
      for (const child of activeFields(field.fields ?? [])) {
        if (!isComputed(child.type)) out[child.key] = cleanValue(child, row[child.key])
      }
      return out
    })
  }
  return value === undefined ? null : value
}

/** The body of a create or a patch: every input field; hidden ones are sent empty. */
export function recordPayload(fields: FieldMeta[], values: RecordValues, today: string): RecordValues {
  const data = expressionData(fields, values, today)
  const types = expressionTypes(fields)
  const body: RecordValues = {}
  for (const field of activeFields(fields)) {
    if (isComputed(field.type)) continue
    const hidden = field.type === 'subtable' ? [] : null
    body[field.key] = isVisible(field, data, today, types) ? cleanValue(field, values[field.key]) : hidden
  }
  return body
}

const DECIMAL_TEXT = /^-?[0-9][0-9,]*(\.[0-9]+)?$/

/** Decimal text as a number for the schema's bounds, or a problem when it is no number. */
function decimalProblem(field: FieldMeta, value: unknown): Problem | null {
  if (typeof value !== 'string' || value.trim() === '') return null
  const text = value.trim()
  if (!DECIMAL_TEXT.test(text)) return { keyword: 'number', params: {} }
  const scale = field.validations?.scale
  const places = text.includes('.') ? text.split('.')[1].length : 0
  if (typeof scale === 'number' && places > scale) return { keyword: 'scale', params: { limit: scale } }
  return null
}

function schemaValue(field: FieldMeta, value: unknown): unknown {
  if (DECIMAL_TYPES.includes(field.type) && typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) {
    return Number(value.trim().replace(/,/g, ''))
  }
  if (typeof value === 'string' && value.trim() === '') return null
  if (field.type === 'subtable' && Array.isArray(value)) {
    return (value as RecordValues[]).map((row) => {
      const out: RecordValues = {}
      for (const child of activeFields(field.fields ?? [])) {
        if (!isComputed(child.type) && row[child.key] !== undefined) out[child.key] = schemaValue(child, row[child.key])
      }
      return out
    })
  }
  return value
}

function checkDecimals(fields: FieldMeta[], values: RecordValues, prefix: string, out: Record<string, Problem>): void {
  for (const field of fields) {
    const path = `${prefix}${field.key}`
    if (DECIMAL_TYPES.includes(field.type)) {
      const problem = decimalProblem(field, values[field.key])
      if (problem) out[path] = problem
    }
    if (field.type === 'subtable' && Array.isArray(values[field.key])) {
      ;(values[field.key] as RecordValues[]).forEach((row, i) => checkDecimals(activeFields(field.fields ?? []), row, `${path}.${i}.`, out))
    }
  }
}

/**
 * Problems of a record by field path (`qty`, `lines.0.sku`), first one per path. Required
 * follows linkage (as the server does); hidden and computed fields are not checked.
 */
export function validateRecord(fields: FieldMeta[], schema: JsonSchema | null, values: RecordValues, today: string): Record<string, Problem> {
  const data = expressionData(fields, values, today)
  const types = expressionTypes(fields)
  const checked = activeFields(fields).filter((f) => !isComputed(f.type) && isVisible(f, data, today, types))
  const out: Record<string, Problem> = {}
  for (const field of checked) {
    if (isRequired(field, data, today, types) && isEmptyValue(values[field.key])) out[field.key] = { keyword: 'required', params: {} }
  }
  checkDecimals(checked, values, '', out)
  if (schema) {
    const document: RecordValues = {}
    for (const field of checked) {
      if (!FILE_TYPES.includes(field.type)) document[field.key] = schemaValue(field, values[field.key])
    }
    const { required: _ignored, ...rest } = schema
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
    const known = Object.fromEntries(Object.entries(properties).filter(([key]) => key in document))
    for (const problem of validateSchema({ ...rest, properties: known }, document)) {
      if (!(problem.path in out)) out[problem.path] = { keyword: problem.keyword, params: problem.params }
    }
  }
  return out
}

const ROW_MESSAGE = /^Row (\d+), ([a-z][a-z0-9_]*): (.*)$/s

/**
 * Server field errors by path, one message each. A sub-table's errors come as
 * "Row 2, sku: ..." on the sub-table's key; they are also put on the cell they name.
 */
export function mapServerErrors(errors: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, messages] of Object.entries(errors)) {
    if (!messages.length) continue
    out[path] = messages.join(' ')
    for (const message of messages) {
      const row = ROW_MESSAGE.exec(message)
      if (row) out[`${path}.${Number(row[1]) - 1}.${row[2]}`] = row[3]
    }
  }
  return out
}
