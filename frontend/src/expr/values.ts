/**
 * Runtime values of the condition language in the browser and how data is read into them:
 * integers as BigInt, decimals as Decimal, dates as day numbers. Mirrors the server's
 * form_engine/expr/values.py; data that cannot be read as its declared type is null.
 */
import { Decimal } from './decimal'
import { DateTimeValue, DateValue, parseDate, parseDateTime } from './dates'

export type FieldType = 'string' | 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'array'

export type Value = null | boolean | bigint | Decimal | string | DateValue | DateTimeValue | unknown[]

export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key)
}

/** A JSON number: an integer when it has no fractional part, otherwise a decimal. */
export function jsonNumber(value: number): Value {
  if (!Number.isFinite(value)) return null
  return Number.isInteger(value) ? BigInt(value) : Decimal.fromNumber(value)
}

export function normalise(raw: unknown): Value {
  if (raw === undefined || raw === null) return null
  if (typeof raw === 'number') return jsonNumber(raw)
  if (typeof raw === 'boolean' || typeof raw === 'string' || typeof raw === 'bigint') return raw
  if (raw instanceof Decimal || raw instanceof DateValue || raw instanceof DateTimeValue) return raw
  return Array.isArray(raw) ? raw : null
}

export function coerce(raw: unknown, type: FieldType): Value {
  const value = normalise(raw)
  if (value === null || (value === '' && type !== 'string')) return null
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : null
    case 'integer':
      if (typeof value === 'bigint') return value
      if (value instanceof Decimal) {
        const whole = value.round(0)
        return whole.compare(value) === 0 ? whole.units : null
      }
      return typeof value === 'string' && /^-?[0-9]+$/.test(value) ? BigInt(value) : null
    case 'decimal':
      if (typeof value === 'bigint') return Decimal.fromInteger(value)
      if (value instanceof Decimal) return value
      return typeof value === 'string' ? Decimal.parse(value) : null
    case 'boolean':
      if (typeof value === 'boolean') return value
      return value === 0n || value === 1n ? value === 1n : null
    case 'date':
      if (value instanceof DateValue) return value
      if (value instanceof DateTimeValue) return new DateValue(value.day)
      return typeof value === 'string' ? parseDate(value) : null
    case 'datetime':
      if (value instanceof DateTimeValue) return value
      if (value instanceof DateValue) return new DateTimeValue(value.day, 0)
      return typeof value === 'string' ? parseDateTime(value) : null
    case 'array':
      return readArray(value)
  }
}

function readArray(value: Value): Value {
  let parsed: unknown = value
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value)
    } catch {
      return null
    }
  }
  return Array.isArray(parsed) ? parsed.filter((item) => typeof item === 'string') : null
}
