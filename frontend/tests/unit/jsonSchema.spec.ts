import { describe, expect, it } from 'vitest'
import { validateSchema } from '@/forms/jsonSchema'

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] })
const keywords = (schema: Record<string, unknown>, value: unknown) =>
  validateSchema(schema, value).map((p) => `${p.path}:${p.keyword}`)

describe('JSON Schema subset validator', () => {
  it('checks types, integers being numbers too', () => {
    expect(keywords({ type: 'integer' }, 3)).toEqual([])
    expect(keywords({ type: 'integer' }, 3.5)).toEqual([':type'])
    expect(keywords({ type: 'number' }, 3)).toEqual([])
    expect(keywords({ type: ['number', 'string'] }, 'x')).toEqual([])
    expect(keywords({ type: 'boolean' }, 'true')).toEqual([':type'])
    expect(keywords({ type: 'null' }, null)).toEqual([])
  })

  it('checks enum, bounds, lengths and patterns', () => {
    expect(keywords({ enum: ['a', 'b'] }, 'c')).toEqual([':enum'])
    expect(keywords({ type: 'integer', minimum: 0, maximum: 10 }, -1)).toEqual([':minimum'])
    expect(keywords({ type: 'integer', minimum: 0, maximum: 10 }, 11)).toEqual([':maximum'])
    expect(keywords({ type: 'string', minLength: 2, maxLength: 3 }, 'a')).toEqual([':minLength'])
    expect(keywords({ type: 'string', maxLength: 3 }, '批次号码')).toEqual([':maxLength'])
    expect(keywords({ type: 'string', maxLength: 4 }, '批次号码')).toEqual([])
    expect(keywords({ type: 'string', pattern: '^\\+?[0-9][0-9 -]{4,19}$' }, '138 0000 0000')).toEqual([])
    expect(keywords({ type: 'string', pattern: '^[A-Z]+$' }, 'abc')).toEqual([':pattern'])
  })

  it('reports the limit with each problem', () => {
    expect(validateSchema({ type: 'integer', maximum: 5 }, 9)).toEqual([{ path: '', keyword: 'maximum', params: { limit: 5 } }])
  })

  it('accepts null where the schema allows it, and explains the real branch otherwise', () => {
    const qty = nullable({ type: 'integer', minimum: 0 })
    expect(keywords(qty, null)).toEqual([])
    expect(keywords(qty, -2)).toEqual([':minimum'])
    expect(keywords(qty, 'two')).toEqual([':type'])
  })

  it('checks dates and date-times', () => {
    expect(keywords({ type: 'string', format: 'date' }, '2026-02-28')).toEqual([])
    expect(keywords({ type: 'string', format: 'date' }, '2026-02-30')).toEqual([':format'])
    expect(keywords({ type: 'string', format: 'date-time' }, '2026-02-28T10:00:00+08:00')).toEqual([])
    expect(keywords({ type: 'string', format: 'date-time' }, 'yesterday')).toEqual([':format'])
  })

  it('walks objects and arrays, with the path of each problem', () => {
    const schema = {
      type: 'object',
      required: ['name'],
      properties: {
        name: nullable({ type: 'string', maxLength: 255 }),
        tags: nullable({ type: 'array', items: { type: 'string', enum: ['a', 'b'] }, uniqueItems: true, maxItems: 2 }),
        lines: nullable({
          type: 'array',
          items: { type: 'object', required: ['sku'], properties: { sku: nullable({ type: 'string' }), n: nullable({ type: 'integer', maximum: 5 }) } },
        }),
      },
    }
    expect(keywords(schema, { name: 'x', tags: ['a'], lines: [{ sku: 's', n: 1 }] })).toEqual([])
    expect(keywords(schema, { tags: ['a', 'a', 'c'], lines: [{ n: 9 }] })).toEqual([
      'name:required',
      'tags:maxItems',
      'tags:uniqueItems',
      'tags.2:enum',
      'lines.0.sku:required',
      'lines.0.n:maximum',
    ])
  })

  it('counts an empty value as missing for required', () => {
    expect(keywords({ type: 'object', required: ['a'] }, { a: '' })).toEqual(['a:required'])
    expect(keywords({ type: 'object', required: ['a'] }, { a: 0 })).toEqual([])
  })
})
