import { describe, expect, it } from 'vitest'
import type { FieldMeta } from '@/api/formTypes'
import {
  aggregationsFor,
  cleanDefinition,
  countMeasure,
  defaultDimension,
  defaultMeasure,
  definitionProblems,
  dimensionKey,
  emptyDefinition,
  errorsAt,
  fieldChoices,
  formulaMeasure,
  formulaParts,
  moveItem,
  removeMeasure,
  roleOf,
  uniqueMeasureKey,
  withSource,
} from './definition'
import type { ChartDefinition, ChartSource } from './types'

const batchFields: FieldMeta[] = [
  { key: 'warehouse', type: 'select', label: { zh: '仓库', en: 'Warehouse' } },
  { key: 'produced', type: 'date', label: { zh: '生产日期', en: 'Produced' } },
  { key: 'qty', type: 'decimal', label: { zh: '数量', en: 'Quantity' } },
  { key: 'photos', type: 'image', label: { zh: '照片', en: 'Photos' } },
  { key: 'old', type: 'text', label: 'Old', removed: true },
  { key: 'sku', type: 'relation', label: { zh: 'SKU', en: 'SKU' }, relation: { form: 'skus' } },
]
const skuFields: FieldMeta[] = [
  { key: 'category', type: 'select', label: { zh: '品类', en: 'Category' } },
  { key: 'notes', type: 'textarea', label: 'Notes' },
]

describe('the fields a chart can use', () => {
  const choices = fieldChoices(batchFields, { sku: skuFields }, 'en')

  it('offers the form fields and one level into related forms, leaving out files and removed fields', () => {
    expect(choices.map((c) => c.path)).toEqual(['warehouse', 'produced', 'qty', 'sku', 'sku.category'])
  })

  it('names a related field after the relation and the field', () => {
    expect(choices.find((c) => c.path === 'sku.category')?.label).toBe('SKU / Category')
  })

  it('groups dates by month and adds numbers up by default', () => {
    const produced = choices.find((c) => c.path === 'produced')!
    const qty = choices.find((c) => c.path === 'qty')!
    expect(defaultDimension(produced)).toEqual({ field: 'produced', bucket: 'month' })
    expect(defaultMeasure(qty, [])).toEqual({ key: 'qty_sum', agg: 'sum', field: 'qty' })
    expect(aggregationsFor(qty)).toContain('avg')
    expect(aggregationsFor(choices.find((c) => c.path === 'warehouse')!)).toEqual(['count_distinct'])
  })

  it('treats a related record as something to group by, not to add up', () => {
    expect(roleOf(choices.find((c) => c.path === 'sku')!)).toBe('category')
    expect(roleOf(choices.find((c) => c.path === 'qty')!)).toBe('number')
  })
})

describe('a chart of the alerts raised on the records', () => {
  /** The alert facts as the server offers them (GET /charts/sources). */
  const alerts: ChartSource = {
    key: 'alerts',
    rules: 1,
    fields: [
      { key: 'alert_level', type: 'select', label: { zh: '预警等级', en: 'Alert level' } },
      { key: 'alert_raised_at', type: 'datetime', label: { zh: '预警时间', en: 'Raised at' } },
      { key: 'alert_hours', type: 'decimal', label: { zh: '处理时长(小时)', en: 'Hours to handle' } },
    ],
  }
  const keys = alerts.fields.map((f) => f.key)

  it('offers the alert facts beside the fields of the form, by their labels', () => {
    const choices = fieldChoices(batchFields, {}, 'en', alerts)
    const level = choices.find((c) => c.path === 'alert_level')!
    expect(level).toMatchObject({ label: 'Alert level', source: 'alerts' })
    expect(roleOf(level)).toBe('category')
    expect(roleOf(choices.find((c) => c.path === 'alert_raised_at')!)).toBe('date')
    expect(roleOf(choices.find((c) => c.path === 'alert_hours')!)).toBe('number')
    expect(choices.find((c) => c.path === 'warehouse')?.source).toBeUndefined()
  })

  it('reads alerts instead of the rules\' levels, which it has as a field', () => {
    const def: ChartDefinition = { ...emptyDefinition(), dimensions: [{ field: 'warehouse' }, { alert_level: 'near_expiry' }], measures: [{ key: 'records', agg: 'count' }] }
    expect(withSource(def, 'alerts', keys)).toMatchObject({ source: 'alerts', dimensions: [{ field: 'warehouse' }] })
  })

  it('back on the records, drops all that names an alert fact and keeps the rest', () => {
    const hours = { key: 'alert_hours_avg', agg: 'avg' as const, field: 'alert_hours' }
    const def: ChartDefinition = {
      ...emptyDefinition(),
      source: 'alerts',
      dimensions: [{ field: 'alert_level' }, { field: 'warehouse' }, { field: 'alert_raised_at', bucket: 'month' }],
      measures: [{ key: 'records', agg: 'count' }, hours, formulaMeasure('/', 'alert_hours_avg', 'records', [])],
      sort: [{ key: 'alert_hours_avg', desc: true }, { key: 'warehouse', desc: false }],
      date_field: 'alert_raised_at',
      compare: 'previous_period',
      filter: { and: [{ '==': [{ var: 'alert_level' }, 'red'] }] },
    }
    const back = withSource(def, null, keys)
    expect('source' in back).toBe(false)
    expect(back).toEqual({
      ...emptyDefinition(),
      dimensions: [{ field: 'warehouse' }],
      measures: [{ key: 'records', agg: 'count' }],
      sort: [{ key: 'warehouse', desc: false }],
    })
    const kept = { ...def, filter: { '==': [{ var: 'warehouse' }, 'east'] } }
    expect(withSource(kept, null, keys).filter).toEqual(kept.filter)
    expect(withSource({ ...def, filter: { missing: ['alert_hours'] } }, null, keys).filter).toBeNull()
  })
})

describe('result keys of dimensions', () => {
  it.each([
    [{ field: 'warehouse' }, 'warehouse'],
    [{ field: 'sku.category' }, 'sku.category'],
    [{ field: 'produced', bucket: 'month' as const }, 'produced:month'],
    [{ alert_level: 'near_expiry' }, 'level:near_expiry'],
  ])('%j is %s', (dim, key) => {
    expect(dimensionKey(dim)).toBe(key)
  })
})

describe('measures', () => {
  it('get keys no other measure has', () => {
    expect(uniqueMeasureKey('records', ['records', 'records_2'])).toBe('records_3')
    expect(countMeasure([{ key: 'records', agg: 'count' }]).key).toBe('records_2')
  })

  it('build a ratio of two measures that reads back', () => {
    const measure = formulaMeasure('/', 'qty_sum', 'records', [])
    expect(measure.formula).toEqual({ '/': [{ var: 'qty_sum' }, { var: 'records' }] })
    expect(formulaParts(measure.formula)).toEqual({ op: '/', left: 'qty_sum', right: 'records' })
    expect(formulaParts({ if: [true, 1, 2] })).toBeNull()
  })

  it('removing one also drops the ratios and the sort built on it', () => {
    const def: ChartDefinition = {
      ...emptyDefinition(),
      measures: [{ key: 'records', agg: 'count' }, { key: 'qty_sum', agg: 'sum', field: 'qty' }, formulaMeasure('/', 'qty_sum', 'records', [])],
      sort: [{ key: 'qty_sum', desc: true }],
    }
    const next = removeMeasure(def, 1)
    expect(next.measures.map((m) => m.key)).toEqual(['records'])
    expect(next.sort).toEqual([])
  })
})

describe('what the builder points out before asking the server', () => {
  it.each([
    [{ type: 'bar' as const, measures: [] }, ['needMeasure', 'needDimension']],
    [{ type: 'kpi' as const, measures: [{ key: 'records', agg: 'count' as const }] }, []],
    [{ type: 'heatmap' as const, measures: [{ key: 'r', agg: 'count' as const }], dimensions: [{ field: 'warehouse' }] }, ['needTwoDimensions']],
    [{ type: 'kpi' as const, measures: [{ key: 'r', agg: 'count' as const }], compare: 'previous_period' as const }, ['compareNeedsDate']],
  ])('%j → %j', (change, problems) => {
    expect(definitionProblems({ ...emptyDefinition(), ...change })).toEqual(problems)
  })
})

describe('the definition as saved', () => {
  it('drops sorts on removed keys, a non-positive limit and a comparison without a date', () => {
    const def: ChartDefinition = {
      ...emptyDefinition(),
      dimensions: [{ field: 'warehouse' }],
      measures: [{ key: 'records', agg: 'count' }],
      sort: [{ key: 'gone', desc: true }, { key: 'warehouse', desc: false }],
      limit: 0,
      compare: 'previous_period',
    }
    expect(cleanDefinition(def)).toMatchObject({ sort: [{ key: 'warehouse', desc: false }], limit: null, compare: null })
  })
})

it('moves a dimension up and down the drill order, and not past the ends', () => {
  expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b'])
  expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b'])
})

it('finds the server messages for a control by path', () => {
  const errors = { 'definition.measures.1.field': 'Unknown field.', 'definition.measures.10.agg': 'Bad.', label: 'Required.' }
  expect(errorsAt(errors, 'definition.measures.1')).toBe('Unknown field.')
  expect(errorsAt(errors, 'definition.dimensions.0')).toBe('')
})
