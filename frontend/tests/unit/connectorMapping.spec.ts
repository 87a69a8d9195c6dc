import { describe, expect, it } from 'vitest'
import { blankRow, keptKeyFields, mappingFromRows, mappingRows, placeMappingErrors } from '@/connectors/mapping'

describe('field mapping rows', () => {
  it('read paths, keys and templates, and give the same mapping back', () => {
    const mapping = { batch_no: '$.lot.no', qty: 'qty', code: { template: '{{ row.sku }}-{{ row.lot }}' } }
    const rows = mappingRows(mapping)
    expect(rows).toEqual([
      { field: 'batch_no', source: '$.lot.no', template: false },
      { field: 'qty', source: 'qty', template: false },
      { field: 'code', source: '{{ row.sku }}-{{ row.lot }}', template: true },
    ])
    expect(mappingFromRows(rows)).toEqual({ mapping, problems: [] })
  })

  it('drop empty rows, trim paths, and point at the row that is incomplete or repeated', () => {
    const built = mappingFromRows([
      { field: 'batch_no', source: ' $.lot.no ', template: false },
      blankRow(),
      { field: 'qty', source: '', template: false },
      { field: '', source: '$.x', template: false },
      { field: 'batch_no', source: 'no', template: false },
    ])
    expect(built.mapping).toEqual({ batch_no: '$.lot.no' })
    expect(built.problems).toEqual([
      { path: 'rows.2.source', keyword: 'required' },
      { path: 'rows.3.field', keyword: 'required' },
      { path: 'rows.4.field', keyword: 'duplicate' },
    ])
    expect(mappingFromRows([blankRow()]).problems).toEqual([{ path: 'rows', keyword: 'empty' }])
  })

  it('keep only key fields that are still mapped', () => {
    const rows = mappingRows({ batch_no: '$.no', warehouse: '$.wh' })
    expect(keptKeyFields(['warehouse', 'sku', 'batch_no'], rows)).toEqual(['warehouse', 'batch_no'])
  })

  it('place the server errors on the rows and the key fields', () => {
    const rows = mappingRows({ batch_no: '$.no', qty: '$..[' })
    const placed = placeMappingErrors(
      { 'mapping.qty': ['Not a valid JSONPath.'], 'mapping.ghost': ["The form has no field 'ghost'."], 'key_fields.0': ["'sku' must be mapped to be a key."], mapping: ['Map at least one form field.'] },
      rows,
    )
    expect(placed.rows).toEqual({ 1: 'Not a valid JSONPath.' })
    expect(placed.keyFields).toBe("'sku' must be mapped to be a key.")
    expect(placed.general).toEqual(["The form has no field 'ghost'.", 'Map at least one form field.'])
  })
})
