import { describe, expect, it } from 'vitest'
import type { FieldMeta } from '@/api/formTypes'
import { initialValues, mapServerErrors, recordPayload, validateRecord } from '@/forms/recordValues'
import { todayIn } from '@/forms/linkage'

const today = '2026-03-01'
const fields: FieldMeta[] = [
  { key: 'batch_no', type: 'text', label: 'Batch', required: true },
  { key: 'qty', type: 'integer', label: 'Qty', validations: { min: 0 } },
  { key: 'price', type: 'money', label: 'Price', validations: { scale: 2, min: 0 } },
  { key: 'damaged', type: 'switch', label: 'Damaged' },
  {
    key: 'damage_note',
    type: 'textarea',
    label: 'Note',
    visible_if: { and: [{ '==': [{ var: 'damaged' }, true] }] },
    required_if: { and: [{ '==': [{ var: 'damaged' }, true] }] },
  },
  { key: 'lines', type: 'subtable', label: 'Lines', fields: [{ key: 'sku', type: 'text', label: 'SKU', required: true }] },
  { key: 'total', type: 'formula', label: 'Total', formula: { '*': [{ var: 'qty' }, 2] }, result_type: 'integer' },
  { key: 'old', type: 'text', label: 'Old', removed: true },
]
const schema = {
  type: 'object',
  required: ['batch_no'],
  properties: {
    batch_no: { anyOf: [{ type: 'string', maxLength: 10 }, { type: 'null' }] },
    qty: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }] },
    price: { anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: '^-?[0-9][0-9,]*(\\.[0-9]+)?$' }, { type: 'null' }] },
    lines: { anyOf: [{ type: 'array', items: { type: 'object', required: ['sku'], properties: { sku: { anyOf: [{ type: 'string' }, { type: 'null' }] } } } }, { type: 'null' }] },
  },
}

describe('a record in the browser', () => {
  it('starts from defaults, and leaves removed fields out', () => {
    const values = initialValues(fields)
    expect(values).toMatchObject({ batch_no: null, damaged: false, lines: [] })
    expect('old' in values).toBe(false)
  })

  it('requires what is required, and what linkage requires only while it is shown', () => {
    const values = { ...initialValues(fields), qty: -1, price: '1.234' }
    const problems = validateRecord(fields, schema, values, today)
    expect(problems.batch_no.keyword).toBe('required')
    expect(problems.qty).toEqual({ keyword: 'minimum', params: { limit: 0 } })
    expect(problems.price).toEqual({ keyword: 'scale', params: { limit: 2 } })
    expect(problems.damage_note).toBeUndefined()

    const damaged = { ...values, batch_no: 'B1', qty: 1, price: '-3', damaged: true }
    const second = validateRecord(fields, schema, damaged, today)
    expect(second.damage_note.keyword).toBe('required')
    expect(second.price.keyword).toBe('minimum')
  })

  it('checks sub-table rows against the same schema', () => {
    const values = { ...initialValues(fields), batch_no: 'B1', lines: [{ sku: null }, { sku: 'S-2' }] }
    expect(Object.keys(validateRecord(fields, schema, values, today))).toEqual(['lines.0.sku'])
  })

  it('accepts a valid record', () => {
    const values = { ...initialValues(fields), batch_no: 'B1', qty: 4, price: '12.50', lines: [{ sku: 'S-1' }] }
    expect(validateRecord(fields, schema, values, today)).toEqual({})
  })

  it('sends hidden fields empty and never sends computed ones', () => {
    const values = { ...initialValues(fields), batch_no: ' B1 ', qty: 2, damage_note: 'left over', lines: [{ sku: 'S-1' }] }
    const body = recordPayload(fields, values, today)
    expect(body.batch_no).toBe('B1')
    expect(body.damage_note).toBeNull()
    expect('total' in body).toBe(false)
    expect(body.lines).toEqual([{ sku: 'S-1' }])
  })

  it("puts the server's sub-table row errors on their cells", () => {
    expect(mapServerErrors({ qty: ['Must be at least 0.'], lines: ['Row 2, sku: Required.'] })).toEqual({
      qty: 'Must be at least 0.',
      lines: 'Row 2, sku: Required.',
      'lines.1.sku': 'Required.',
    })
  })

  it("knows today's date in the tenant's time zone", () => {
    const late = new Date('2026-03-01T20:00:00Z')
    expect(todayIn('Asia/Shanghai', late)).toBe('2026-03-02')
    expect(todayIn('UTC', late)).toBe('2026-03-01')
  })
})
