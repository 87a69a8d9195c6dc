import { describe, expect, it } from 'vitest'
import { emptyDefinition } from './definition'
import { backTo, canStepDown, definitionAt, dimensionsAt, errorsOfView, ladderOf, pathPoint, pointFor, recordsQuery, stepsThrough, type DrillStep } from './drill'
import type { ChartDefinition } from './types'

const regionToBatch: ChartDefinition = {
  ...emptyDefinition('bar'),
  dimensions: [{ field: 'region' }, { field: 'warehouse' }, { field: 'sku.category' }, { field: 'batch_no' }],
  measures: [{ key: 'qty', agg: 'sum', field: 'qty' }],
  filter: { '>': [{ var: 'qty' }, 0] },
  sort: [{ key: 'qty', desc: true }, { key: 'region', desc: false }],
  compare: 'previous_period',
  date_field: 'produced',
}

const step = (point: Record<string, unknown>, labels: string[], filter: unknown): DrillStep => ({ point, labels, answer: { form_id: 3, filter, count: 5 } })

describe('a bar chart of region → warehouse → category → batch', () => {
  it('shows one dimension at a time, the first at the top', () => {
    expect(stepsThrough(regionToBatch)).toBe(true)
    expect(definitionAt(regionToBatch, 0).dimensions).toEqual([{ field: 'region' }])
  })

  it('steps down until the last dimension', () => {
    expect([0, 1, 2, 3].map((d) => canStepDown(regionToBatch, d))).toEqual([true, true, true, false])
  })

  it('groups each level by its own dimension, sorted by what it still has', () => {
    const next = definitionAt(regionToBatch, 1)
    expect(next.dimensions).toEqual([{ field: 'warehouse' }])
    expect(next.filter).toEqual(regionToBatch.filter)
    expect(next.sort).toEqual([{ key: 'qty', desc: true }])
  })

  it('sends the whole clicked path with each click, and asks for the step below it', () => {
    const steps = [step({ region: 'east' }, ['华东'], null)]
    expect(pointFor(steps, { warehouse: 'sh' })).toEqual({ region: 'east', warehouse: 'sh' })
    expect(pointFor([], { region: 'east' })).toEqual({ region: 'east' })
    expect(pathPoint(steps)).toEqual({ region: 'east' })
    expect(pathPoint([])).toEqual({})
  })

  it('climbs back up the breadcrumb', () => {
    const steps = [step({ region: 'east' }, ['华东'], 1), step({ region: 'east', warehouse: 'sh' }, ['上海仓'], 2)]
    expect(backTo(steps, 1)).toEqual([steps[0]])
    expect(backTo(steps, 0)).toEqual([])
  })
})

describe('charts drawing two dimensions at once', () => {
  const stacked: ChartDefinition = { ...emptyDefinition('stacked_bar'), dimensions: [{ field: 'region' }, { field: 'warehouse' }, { alert_level: 'expiry' }], measures: [{ key: 'n', agg: 'count' }] }

  it('keep the last dimension as the stacks and step through the others', () => {
    expect(ladderOf(stacked)).toEqual([{ field: 'region' }, { field: 'warehouse' }])
    expect(dimensionsAt(stacked, 0)).toEqual([{ field: 'region' }, { alert_level: 'expiry' }])
    expect(dimensionsAt(stacked, 1)).toEqual([{ field: 'warehouse' }, { alert_level: 'expiry' }])
  })

  it('report a problem with the kept dimension at its place in the whole chart', () => {
    const errors = { 'definition.dimensions.1.alert_level': 'Unknown rule.', 'definition.measures.0.agg': 'Bad.' }
    expect(errorsOfView(errors, stacked, 0)).toEqual({ 'definition.dimensions.2.alert_level': 'Unknown rule.', 'definition.measures.0.agg': 'Bad.' })
  })

  it('with exactly two dimensions, show both and do not step', () => {
    const heatmap: ChartDefinition = { ...stacked, type: 'heatmap', dimensions: [{ field: 'region' }, { field: 'warehouse' }] }
    expect(stepsThrough(heatmap)).toBe(false)
    expect(definitionAt(heatmap, 0)).toBe(heatmap)
    expect(canStepDown(heatmap, 0)).toBe(false)
  })
})

it('tables and KPI cards never step', () => {
  const table: ChartDefinition = { ...regionToBatch, type: 'table' }
  expect(stepsThrough(table)).toBe(false)
  expect(canStepDown({ ...regionToBatch, type: 'kpi' }, 0)).toBe(false)
})

it('hands the records page the drill filter as JSON', () => {
  expect(recordsQuery({ form_id: 1, filter: { '==': [{ var: 'region' }, 'east'] }, count: 2 })).toEqual({ filter: '{"==":[{"var":"region"},"east"]}' })
  expect(recordsQuery({ form_id: 1, filter: null, count: 2 })).toEqual({})
})
