import { describe, expect, it } from 'vitest'
import { ref } from 'vue'
import type { FieldMeta } from '@/api/formTypes'
import { useSubtableRows } from './useSubtableRows'

const lines: FieldMeta = {
  key: 'lines',
  type: 'subtable',
  label: 'Lines',
  fields: [
    { key: 'sku', type: 'text', label: 'SKU', required: true },
    { key: 'qty', type: 'integer', label: 'Qty' },
    { key: 'old', type: 'text', label: 'Old', removed: true },
  ],
}

function editor(initial: unknown) {
  const value = ref<unknown>(initial)
  let changes = 0
  const rows = useSubtableRows(() => lines, value, () => changes++)
  return { value, rows, changes: () => changes }
}

describe('the rows of a sub-table', () => {
  it('shows one column per child field, leaving removed fields out', () => {
    expect(editor([]).rows.children.value.map((f) => f.key)).toEqual(['sku', 'qty'])
  })

  it('starts without rows when the record holds none', () => {
    expect(editor(null).rows.rows.value).toEqual([])
  })

  it('adds an empty row, edits a cell and removes a row, reporting each change', () => {
    const e = editor([{ sku: 'S-1', qty: 2 }])
    e.rows.addRow()
    expect(e.value.value).toEqual([{ sku: 'S-1', qty: 2 }, { sku: null, qty: null }])
    e.rows.setCell(1, 'sku', 'S-2')
    expect(e.rows.rows.value[1].sku).toBe('S-2')
    e.rows.removeRow(0)
    expect(e.value.value).toEqual([{ sku: 'S-2', qty: null }])
    expect(e.changes()).toBe(3)
  })
})
