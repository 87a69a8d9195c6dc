import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Decimal, ExprError, evaluate, type FieldType } from './evaluate'

/** The vectors shared with pytest: the browser must answer every case like the server. */
interface Vector {
  name: string
  expr: unknown
  data?: Record<string, unknown>
  today?: string
  expected?: unknown
  expected_type?: 'decimal' | 'date' | 'datetime'
  error?: string
}

const file = fileURLToPath(new URL('../../../tests/expr_vectors.json', import.meta.url))
const vectors = JSON.parse(readFileSync(file, 'utf-8')) as {
  fields: Record<string, FieldType>
  edge_rows: Record<string, unknown>[]
  cases: Vector[]
}
const valid = vectors.cases.filter((vector) => vector.error === undefined)

/** A number as text with exactly 6 decimal places, the precision decimals are compared at. */
function rounded(value: unknown): string {
  const decimal = value instanceof Decimal ? value : Decimal.parse(String(value))
  expect(decimal, String(value)).not.toBeNull()
  const six = (decimal as Decimal).add(new Decimal(0n, 6)).round(6)
  return six.toString()
}

describe('shared expression vectors', () => {
  it.each(valid.map((vector) => [vector.name, vector] as const))('%s', (_, vector) => {
    const actual = evaluate(vector.expr, vector.data ?? {}, vector.today ?? '', vectors.fields)
    if (vector.expected_type === 'decimal' && vector.expected !== null) {
      expect(actual instanceof Decimal || typeof actual === 'number').toBe(true)
      expect(rounded(actual)).toBe(rounded(vector.expected))
    } else if (vector.expected_type === 'datetime') {
      expect(actual).toBe(String(vector.expected).replace(' ', 'T'))
    } else {
      expect(actual).toStrictEqual(vector.expected)
    }
  })

  it('never fails on edge rows (nulls, year 1 and 9999, empty text)', () => {
    for (const row of vectors.edge_rows) {
      for (const vector of valid) {
        expect(() => evaluate(vector.expr, row, vector.today ?? '', vectors.fields)).not.toThrow()
      }
    }
  })

  it('answers the same on untyped data for every case without a datetime', () => {
    const datetimes = Object.keys(vectors.fields).filter((name) => vectors.fields[name] === 'datetime')
    for (const vector of valid) {
      if (datetimes.some((name) => JSON.stringify(vector.expr).includes(`"${name}"`))) continue
      const typed = evaluate(vector.expr, vector.data ?? {}, vector.today ?? '', vectors.fields)
      const untyped = evaluate(vector.expr, vector.data ?? {}, vector.today ?? '')
      const same = typed instanceof Decimal ? rounded(untyped) === rounded(typed) : untyped === typed
      expect(same || JSON.stringify(untyped) === JSON.stringify(typed), vector.name).toBe(true)
    }
  })

  it('refuses unknown operators and never runs text as code', () => {
    expect(() => evaluate({ __import__: ['os'] }, {}, '2026-11-25')).toThrow(ExprError)
    expect(() => evaluate({ constructor: [] }, {}, '2026-11-25')).toThrow(ExprError)
    expect(evaluate({ var: "__import__('os').system('touch /tmp/pwned')" }, {}, '2026-11-25')).toBeNull()
    expect(evaluate({ var: '__proto__' }, {}, '2026-11-25')).toBeNull()
    expect(evaluate({ var: 'constructor' }, {}, '2026-11-25')).toBeNull()
  })
})
