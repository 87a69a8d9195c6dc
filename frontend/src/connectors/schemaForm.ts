/**
 * A connector type's JSON Schema (its settings, or an action's inputs) read as a list of
 * form fields, the form's values turned back into the JSON the API takes, and the server's
 * field errors placed on those fields. Stored secrets are never shown: the API masks them,
 * and sending the mask back keeps the stored value.
 *
 * Only the flat shapes connector types use are understood: a top-level object whose
 * properties are strings, numbers, booleans, enums, lists of strings or free JSON.
 */

export type JsonSchema = Record<string, unknown>

export const SECRET_MASK = '********'

export type FieldKind = 'string' | 'text' | 'secret' | 'number' | 'integer' | 'boolean' | 'enum' | 'list' | 'json'

export interface SchemaField {
  name: string
  kind: FieldKind
  required: boolean
  /** A label or hint the schema itself carries (`title`, `description`), if any. */
  title?: string
  description?: string
  options?: Array<string | number>
  default?: unknown
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  pattern?: string
  minItems?: number
  /** A JSON field must hold an object (else any JSON value). */
  jsonObject?: boolean
  /** A text that is sent as JSON when it reads as an object or array (else as the text). */
  acceptsJson?: boolean
}

export type FormValues = Record<string, unknown>

/** A value the browser refused before sending; the UI translates `keyword` with `params`. */
export interface FieldProblem {
  path: string
  keyword: 'required' | 'minLength' | 'maxLength' | 'minimum' | 'maximum' | 'integer' | 'number' | 'pattern' | 'json' | 'object' | 'minItems'
  params?: Record<string, unknown>
}

/** Strings that hold messages, templates or certificates are edited on several lines. */
const LONG_NAMES = new Set(['text', 'html', 'content', 'message', 'body', 'description', 'ca_certificate'])

function typesOf(schema: JsonSchema): string[] {
  const type = schema.type
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string')
  return typeof type === 'string' ? [type] : []
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** A string that may also be given as JSON (a request body template). */
function acceptsJson(schema: JsonSchema): boolean {
  const types = typesOf(schema)
  return types.includes('string') && (types.includes('object') || types.includes('array'))
}

function kindOf(name: string, schema: JsonSchema, secrets: ReadonlySet<string>): FieldKind {
  if (secrets.has(name)) return 'secret'
  if (Array.isArray(schema.enum)) return 'enum'
  const types = typesOf(schema)
  // ["string", "integer"] (an id a system may give either way) is typed as text
  if (types.includes('string')) {
    return LONG_NAMES.has(name) || acceptsJson(schema) ? 'text' : 'string'
  }
  if (types.includes('integer')) return 'integer'
  if (types.includes('number')) return 'number'
  if (types.length === 1 && types[0] === 'boolean') return 'boolean'
  if (types.length === 1 && types[0] === 'array') {
    const items = (schema.items ?? {}) as JsonSchema
    const itemTypes = typesOf(items)
    if (Array.isArray(items.enum) || itemTypes.length === 0 || itemTypes.includes('string')) return 'list'
  }
  return 'json'
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object') {
    const label = value as { zh?: string; en?: string }
    return label.zh ?? label.en
  }
  return undefined
}

/** The form fields of an object schema, required ones first, each in schema order. */
export function fieldsOf(schema: JsonSchema | null | undefined, secretFields: readonly string[] = []): SchemaField[] {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : [])
  const secrets = new Set(secretFields)
  const fields = Object.entries(properties).map(([name, prop]): SchemaField => {
    const kind = kindOf(name, prop, secrets)
    const items = (prop.items ?? {}) as JsonSchema
    const options = kind === 'enum' ? (prop.enum as Array<string | number>) : kind === 'list' && Array.isArray(items.enum) ? (items.enum as string[]) : undefined
    return {
      name,
      kind,
      required: required.has(name),
      title: text(prop.title),
      description: text(prop.description),
      options,
      default: prop.default,
      minLength: num(prop.minLength),
      maxLength: num(prop.maxLength),
      minimum: num(prop.minimum),
      maximum: num(prop.maximum),
      pattern: typeof prop.pattern === 'string' ? prop.pattern : undefined,
      minItems: num(prop.minItems),
      jsonObject: kind === 'json' && typesOf(prop).join() === 'object',
      acceptsJson: kind === 'text' && acceptsJson(prop),
    }
  })
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)]
}

function blank(field: SchemaField): unknown {
  switch (field.kind) {
    case 'boolean':
      return field.default === true
    case 'number':
    case 'integer':
      return num(field.default) ?? null
    case 'enum':
      return field.default ?? null
    case 'list':
      return Array.isArray(field.default) ? [...(field.default as string[])] : []
    case 'json':
      return field.default === undefined ? '' : JSON.stringify(field.default, null, 2)
    case 'secret':
      return ''
    default:
      return typeof field.default === 'string' ? field.default : ''
  }
}

/** Form values for new settings (defaults) or for saved ones; secrets always start empty. */
export function initialValues(fields: readonly SchemaField[], saved: Record<string, unknown> = {}): FormValues {
  const values: FormValues = {}
  for (const field of fields) {
    const value = saved[field.name]
    if (field.kind === 'secret' || value === undefined || value === null) {
      values[field.name] = blank(field)
    } else if (field.kind === 'json') {
      values[field.name] = JSON.stringify(value, null, 2)
    } else if (field.kind === 'list') {
      values[field.name] = Array.isArray(value) ? value.map(String) : []
    } else if (field.kind === 'string' || field.kind === 'text') {
      values[field.name] = typeof value === 'object' ? JSON.stringify(value, null, 2) : String(value)
    } else {
      values[field.name] = value
    }
  }
  return values
}

/** Secret fields the server holds a value for (it shows them masked). */
export function storedSecrets(fields: readonly SchemaField[], saved: Record<string, unknown> = {}): Set<string> {
  return new Set(fields.filter((f) => f.kind === 'secret' && saved[f.name] === SECRET_MASK).map((f) => f.name))
}

function stringProblems(field: SchemaField, value: string): FieldProblem[] {
  const out: FieldProblem[] = []
  if (field.minLength !== undefined && value.length < field.minLength) out.push({ path: field.name, keyword: 'minLength', params: { n: field.minLength } })
  if (field.maxLength !== undefined && value.length > field.maxLength) out.push({ path: field.name, keyword: 'maxLength', params: { n: field.maxLength } })
  if (field.pattern !== undefined) {
    try {
      if (!new RegExp(field.pattern, 'u').test(value)) out.push({ path: field.name, keyword: 'pattern', params: { pattern: field.pattern } })
    } catch {
      // a pattern the browser cannot read is left to the server
    }
  }
  return out
}

function numberProblems(field: SchemaField, value: number): FieldProblem[] {
  const out: FieldProblem[] = []
  if (field.kind === 'integer' && !Number.isInteger(value)) out.push({ path: field.name, keyword: 'integer' })
  if (field.minimum !== undefined && value < field.minimum) out.push({ path: field.name, keyword: 'minimum', params: { n: field.minimum } })
  if (field.maximum !== undefined && value > field.maximum) out.push({ path: field.name, keyword: 'maximum', params: { n: field.maximum } })
  return out
}

function isEmpty(field: SchemaField, value: unknown): boolean {
  if (value === null || value === undefined) return true
  if (field.kind === 'list') return !Array.isArray(value) || value.length === 0
  if (field.kind === 'boolean') return false
  return typeof value === 'string' && value.trim() === ''
}

/** An object or array the text spells in JSON, else undefined (the text is sent as it is). */
function parseStructured(text: string): unknown {
  if (!/^[[{]/.test(text)) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined
  } catch {
    return undefined
  }
}

export interface BuiltPayload {
  payload: Record<string, unknown>
  problems: FieldProblem[]
}

/**
 * The JSON to send for the form's values. An empty optional field is left out; a stored
 * secret left empty is sent as the mask, which keeps it; a typed secret replaces it.
 */
export function buildPayload(fields: readonly SchemaField[], values: FormValues, stored: ReadonlySet<string> = new Set()): BuiltPayload {
  const payload: Record<string, unknown> = {}
  const problems: FieldProblem[] = []
  for (const field of fields) {
    const value = values[field.name]
    if (isEmpty(field, value)) {
      if (field.kind === 'secret' && stored.has(field.name)) payload[field.name] = SECRET_MASK
      else if (field.required) problems.push({ path: field.name, keyword: 'required' })
      continue
    }
    switch (field.kind) {
      case 'boolean':
        payload[field.name] = Boolean(value)
        break
      case 'number':
      case 'integer': {
        const n = typeof value === 'number' ? value : Number(String(value).trim())
        if (!Number.isFinite(n)) {
          problems.push({ path: field.name, keyword: 'number' })
          break
        }
        problems.push(...numberProblems(field, n))
        payload[field.name] = n
        break
      }
      case 'enum':
        payload[field.name] = value
        break
      case 'list': {
        const items = (value as unknown[]).map((v) => String(v).trim()).filter(Boolean)
        if (field.minItems !== undefined && items.length < field.minItems) problems.push({ path: field.name, keyword: 'minItems', params: { n: field.minItems } })
        payload[field.name] = items
        break
      }
      case 'json': {
        let parsed: unknown
        try {
          parsed = JSON.parse(String(value))
        } catch {
          problems.push({ path: field.name, keyword: 'json' })
          break
        }
        if (field.jsonObject && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))) {
          problems.push({ path: field.name, keyword: 'object' })
          break
        }
        payload[field.name] = parsed
        break
      }
      case 'secret':
        // taken as typed: a secret may well begin or end with a space
        problems.push(...stringProblems(field, String(value)))
        payload[field.name] = String(value)
        break
      default: {
        const s = String(value).trim()
        const structured = field.acceptsJson ? parseStructured(s) : undefined
        if (structured !== undefined) {
          payload[field.name] = structured
          break
        }
        problems.push(...stringProblems(field, s))
        payload[field.name] = s
      }
    }
  }
  return { payload, problems }
}

export interface PlacedErrors {
  /** Field name -> message, for the form items. */
  fields: Record<string, string>
  /** Paths outside the schema's fields (e.g. `key`, `label.zh`), as the server sent them. */
  rest: Record<string, string>
  /** Messages about the settings as a whole. */
  general: string[]
}

const REQUIRED = /'([^']+)' is a required property/

/**
 * Places the server's field errors ({path: [messages]}) on the schema's fields. Paths may
 * carry a prefix (`config.webhook_url`) or not (`webhook_url`), and may point inside a field
 * (`user_ids.0`). A "'x' is a required property" error on the whole object goes to field x.
 * Unprefixed paths named in `outside` belong to the surrounding form, not to the settings.
 */
export function placeServerErrors(
  errors: Record<string, string[]>,
  fields: readonly SchemaField[],
  prefix = 'config',
  outside: readonly string[] = ['key', 'type', 'label', 'enabled'],
): PlacedErrors {
  const names = new Set(fields.map((f) => f.name))
  const own = new Set(outside)
  const placed: PlacedErrors = { fields: {}, rest: {}, general: [] }
  const add = (target: Record<string, string>, key: string, message: string) => {
    target[key] = target[key] ? `${target[key]} ${message}` : message
  }
  for (const [path, messages] of Object.entries(errors)) {
    const inner = path === prefix ? '' : path.startsWith(`${prefix}.`) ? path.slice(prefix.length + 1) : path
    const head = inner.split('.')[0]
    for (const message of messages) {
      if (own.has(path.split('.')[0])) {
        add(placed.rest, path, message)
        continue
      }
      if (names.has(head)) {
        add(placed.fields, head, message)
        continue
      }
      const missing = REQUIRED.exec(message)
      if (missing && names.has(missing[1]) && (inner === '' || inner === '_body' || inner === '_schema')) {
        add(placed.fields, missing[1], message)
      } else if (inner === '' || inner === '_body' || inner === '_schema' || path.startsWith(`${prefix}.`)) {
        placed.general.push(message)
      } else {
        add(placed.rest, path, message)
      }
    }
  }
  return placed
}
