/**
 * A small JSON Schema validator for the subset the form engine emits for records
 * (CompiledForm.json_schema): type, enum, minimum, maximum, minLength, maxLength, pattern,
 * required, format (date, date-time), items, maxItems, uniqueItems, properties, anyOf.
 * It returns problems as data (keyword + parameters) so each UI translates them; the
 * server validates again and decides.
 */

export type JsonSchema = Record<string, unknown>

export interface SchemaProblem {
  /** Dotted path to the value (`qty`, `lines.0.sku`); '' for the document itself. */
  path: string
  keyword: string
  params: Record<string, unknown>
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function matchesType(value: unknown, wanted: string): boolean {
  const actual = typeOf(value)
  if (wanted === 'number') return actual === 'number' || actual === 'integer'
  return actual === wanted
}

function join(path: string, key: string | number): string {
  return path ? `${path}.${key}` : String(key)
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

function validDate(text: string): boolean {
  const m = DATE.exec(text)
  if (!m) return false
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return date.getUTCFullYear() === Number(m[1]) && date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3])
}

function validFormat(format: string, text: string): boolean {
  if (format === 'date') return validDate(text)
  if (format === 'date-time') {
    return /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(text) && validDate(text.slice(0, 10))
  }
  return true // unknown formats are annotations only
}

function lengthOf(text: string): number {
  return [...text].length // code points, as JSON Schema counts them
}

function checkString(schema: JsonSchema, value: string, path: string, out: SchemaProblem[]): void {
  if (typeof schema.minLength === 'number' && lengthOf(value) < schema.minLength) {
    out.push({ path, keyword: 'minLength', params: { limit: schema.minLength } })
  }
  if (typeof schema.maxLength === 'number' && lengthOf(value) > schema.maxLength) {
    out.push({ path, keyword: 'maxLength', params: { limit: schema.maxLength } })
  }
  if (typeof schema.pattern === 'string') {
    let regex: RegExp | null = null
    try {
      regex = new RegExp(schema.pattern, 'u')
    } catch {
      regex = null // a pattern the browser cannot read: leave it to the server
    }
    if (regex && !regex.test(value)) out.push({ path, keyword: 'pattern', params: { pattern: schema.pattern } })
  }
  if (typeof schema.format === 'string' && !validFormat(schema.format, value)) {
    out.push({ path, keyword: 'format', params: { format: schema.format } })
  }
}

function checkNumber(schema: JsonSchema, value: number, path: string, out: SchemaProblem[]): void {
  if (typeof schema.minimum === 'number' && value < schema.minimum) {
    out.push({ path, keyword: 'minimum', params: { limit: schema.minimum } })
  }
  if (typeof schema.maximum === 'number' && value > schema.maximum) {
    out.push({ path, keyword: 'maximum', params: { limit: schema.maximum } })
  }
}

function checkArray(schema: JsonSchema, value: unknown[], path: string, out: SchemaProblem[]): void {
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    out.push({ path, keyword: 'maxItems', params: { limit: schema.maxItems } })
  }
  if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
    out.push({ path, keyword: 'uniqueItems', params: {} })
  }
  if (schema.items && typeof schema.items === 'object') {
    value.forEach((item, index) => walk(schema.items as JsonSchema, item, join(path, index), out))
  }
}

function checkObject(schema: JsonSchema, value: Record<string, unknown>, path: string, out: SchemaProblem[]): void {
  for (const key of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
    const present = value[key]
    if (present === undefined || present === null || present === '') {
      out.push({ path: join(path, key), keyword: 'required', params: {} })
    }
  }
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
  for (const [key, child] of Object.entries(properties)) {
    if (value[key] !== undefined) walk(child, value[key], join(path, key), out)
  }
}

/** The branch of a failed anyOf whose problems say most: the one the value's type fits. */
function bestBranch(branches: JsonSchema[], value: unknown, path: string): SchemaProblem[] {
  let fallback: SchemaProblem[] | null = null
  for (const branch of branches) {
    const problems: SchemaProblem[] = []
    walk(branch, value, path, problems)
    const typeFits = !problems.some((p) => p.path === path && p.keyword === 'type')
    if (typeFits) return problems
    if (fallback === null && branch.type !== 'null') fallback = problems
  }
  return fallback ?? [{ path, keyword: 'type', params: { type: '' } }]
}

function walk(schema: JsonSchema, value: unknown, path: string, out: SchemaProblem[]): void {
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf as JsonSchema[]
    const results = branches.map((b) => {
      const problems: SchemaProblem[] = []
      walk(b, value, path, problems)
      return problems
    })
    if (!results.some((r) => r.length === 0)) out.push(...bestBranch(branches, value, path))
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string]
    if (!types.some((t) => matchesType(value, t))) {
      out.push({ path, keyword: 'type', params: { type: types.join('|') } })
      return
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => equal(option, value))) {
    out.push({ path, keyword: 'enum', params: { values: schema.enum } })
  }
  if (typeof value === 'string') checkString(schema, value, path, out)
  else if (typeof value === 'number') checkNumber(schema, value, path, out)
  else if (Array.isArray(value)) checkArray(schema, value, path, out)
  else if (value !== null && typeof value === 'object') checkObject(schema, value as Record<string, unknown>, path, out)
}

/** Every problem of `value` against `schema` (empty when it is valid). */
export function validateSchema(schema: JsonSchema, value: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = []
  walk(schema, value, '', out)
  return out
}
