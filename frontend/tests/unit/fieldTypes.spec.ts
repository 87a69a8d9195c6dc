import { describe, expect, it } from 'vitest'
import { FIELD_TYPES } from '@/api/formTypes'
import {
  FIELD_TYPE_INFO,
  PALETTE_GROUPS,
  createField,
  hasOptions,
  typesOfGroup,
  uniqueKey,
} from '@/forms/fieldTypes'

describe('the designer field catalogue', () => {
  it('puts each of the 27 types in exactly one palette group', () => {
    const grouped = PALETTE_GROUPS.flatMap(typesOfGroup)
    expect(FIELD_TYPES).toHaveLength(27)
    expect([...grouped].sort()).toEqual([...FIELD_TYPES].sort())
  })

  it.each(FIELD_TYPES.map((type) => [type]))('a new %s field is complete as the server expects', (type) => {
    const field = createField(type)
    expect(field.type).toBe(type)
    // no key yet: saving the draft makes one from the label (app/keys.py)
    expect(field.key).toBe('')
    expect(field.label).toEqual({ zh: expect.any(String), en: expect.any(String) })
    const label = field.label as { zh: string; en: string }
    expect(label.zh.length).toBeGreaterThan(0)
    expect(label.en.length).toBeGreaterThan(0)
    expect(FIELD_TYPE_INFO[type]).toBeDefined()
    if (hasOptions(type)) {
      const values = field.options!.map((o) => o.value)
      expect(values.length).toBeGreaterThanOrEqual(1)
      expect(new Set(values).size).toBe(values.length)
    }
    if (type === 'subtable') {
      expect(field.fields).toHaveLength(1)
      expect(field.fields![0].type).not.toBe('subtable')
      expect(field.fields![0].key).toBe('')
    }
    if (type === 'autonumber') expect(field.pattern).toMatch(/\{seq(:\d+)?\}/)
    if (type === 'formula') {
      expect(typeof field.formula).toBe('object')
      expect(field.result_type).toBeDefined()
    }
    if (type === 'rating') expect(field.max).toBeGreaterThanOrEqual(1)
    if (type === 'relation') expect(field.relation).toEqual({})
    expect(JSON.parse(JSON.stringify(field))).toEqual(field)
  })

  it('numbers keys from 1 and skips the ones in use', () => {
    expect(uniqueKey('qty', [])).toBe('qty_1')
    expect(uniqueKey('qty', ['qty_1', 'qty_2'])).toBe('qty_3')
  })
})
