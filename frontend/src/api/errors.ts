/**
 * Turns the API's error bodies ({code, message, errors}) into one ApiError shape and
 * flattens field errors so a form can show each message beside its field.
 */

export type FieldErrors = Record<string, string[]>

export interface ErrorBody {
  code: string
  message: string
  errors: FieldErrors
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fieldErrors: FieldErrors
  /** The whole response body, for errors that carry more (a 409 conflict's `current` record). */
  readonly raw: unknown

  constructor(status: number, body: ErrorBody, raw: unknown = null) {
    super(body.message)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code
    this.fieldErrors = body.errors
    this.raw = raw
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Flattens an `errors` value into {"field.path": ["msg", ...]}. The contract already sends
 * flat keys; nested objects are accepted too and their keys joined with dots.
 */
export function flattenFieldErrors(value: unknown, prefix = '', out: FieldErrors = {}): FieldErrors {
  const add = (message: string) => {
    const key = prefix || '_schema'
    out[key] = [...(out[key] ?? []), message]
  }
  if (typeof value === 'string') {
    add(value)
  } else if (Array.isArray(value)) {
    for (const item of value) flattenFieldErrors(item, prefix, out)
  } else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      flattenFieldErrors(child, prefix ? `${prefix}.${key}` : key, out)
    }
  }
  return out
}

/** Reads any response body into the contract's error shape, with a fallback message. */
export function parseErrorBody(status: number, raw: unknown, fallbackMessage: string): ErrorBody {
  if (!isRecord(raw)) {
    return { code: status ? `http_${status}` : 'network_error', message: fallbackMessage, errors: {} }
  }
  const code = typeof raw.code === 'string' && raw.code ? raw.code : `http_${status}`
  const message = typeof raw.message === 'string' && raw.message ? raw.message : fallbackMessage
  return { code, message, errors: flattenFieldErrors(raw.errors ?? {}) }
}

/** One display string per field: what an el-form-item `error` prop or a van-field shows. */
export function fieldErrorMessages(errors: FieldErrors): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, messages] of Object.entries(errors)) {
    if (messages.length) out[key] = messages.join(' ')
  }
  return out
}
