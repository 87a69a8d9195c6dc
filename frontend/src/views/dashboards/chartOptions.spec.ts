import { describe, expect, it } from 'vitest'
import { LEVEL_COLORS } from '@/rules/levels'
import { chartOption, clickedPoint, kpiModels, tableModel, unplacedProvinces, type ChartTexts } from './chartOptions'
import type { ChartResult } from './types'

const texts: ChartTexts = {
  label: (label, fallback) => (typeof label === 'string' ? label : label?.en || fallback),
  level: (level) => `L:${level}`,
  empty: '(empty)',
  total: 'Total',
  formatNumber: (n) => (n === null || n === undefined ? '-' : String(n)),
}

const byWarehouse: ChartResult = {
  dimensions: [{ key: 'warehouse', label: { zh: '仓库', en: 'Warehouse' }, type: 'field' }],
  measures: [
    { key: 'batches', label: { zh: '批次数', en: 'Batches' } },
    { key: 'qty', label: { zh: '数量', en: 'Quantity' } },
  ],
  rows: [
    { warehouse: { value: 'east', label: { zh: '华东仓', en: 'East' } }, batches: 4, qty: 120 },
    { warehouse: { value: 'west', label: 'West' }, batches: 2, qty: 30 },
    { warehouse: { value: null }, batches: 1, qty: 5 },
  ],
  totals: { batches: 7, qty: 155 },
  previous: null,
  cached: false,
  computed_at: '2025-05-01T08:00:00Z',
}

const byLevel: ChartResult = {
  dimensions: [{ key: 'level:expiry', label: 'Level', type: 'level' }],
  measures: [{ key: 'batches', label: 'Batches' }],
  rows: [
    { 'level:expiry': { value: 'red' }, batches: 3 },
    { 'level:expiry': { value: 'green' }, batches: 9 },
  ],
  totals: { batches: 12 },
  previous: null,
  cached: true,
  computed_at: null,
}

type Series = { type: string; name: string; color?: string; stack?: string; radius?: unknown; data: { value: unknown; name?: string; point: Record<string, unknown>; labels: string[]; itemStyle?: { color: string } }[] }
const seriesOf = (option: unknown) => (option as { series: Series[] }).series

describe('bar, line and area charts', () => {
  it('put the dimension on the axis and one series per measure, each bar carrying its point', () => {
    const option = chartOption('bar', byWarehouse, texts) as { xAxis: { data: string[] } }
    expect(option.xAxis.data).toEqual(['East', 'West', '(empty)'])
    const series = seriesOf(option)
    expect(series.map((s) => [s.type, s.name])).toEqual([
      ['bar', 'Batches'],
      ['bar', 'Quantity'],
    ])
    expect(series[1].data[0]).toMatchObject({ value: 120, point: { warehouse: 'east' }, labels: ['East'] })
  })

  it('draw an area as a filled line', () => {
    const series = seriesOf(chartOption('area', byWarehouse, texts))
    expect(series[0]).toMatchObject({ type: 'line', areaStyle: { opacity: 0.25 } })
  })

  it('colour bars of levels with the alert board colours', () => {
    const series = seriesOf(chartOption('bar', byLevel, texts))
    expect(series[0].data.map((d) => d.itemStyle?.color)).toEqual([LEVEL_COLORS.red, LEVEL_COLORS.green])
  })
})

describe('a stacked bar of warehouse × level', () => {
  const result: ChartResult = {
    ...byWarehouse,
    dimensions: [byWarehouse.dimensions[0], { key: 'level:expiry', label: 'Level', type: 'level' }],
    measures: [{ key: 'batches', label: 'Batches' }],
    rows: [
      { warehouse: { value: 'east', label: 'East' }, 'level:expiry': { value: 'expired' }, batches: 1 },
      { warehouse: { value: 'east', label: 'East' }, 'level:expiry': { value: 'green' }, batches: 5 },
      { warehouse: { value: 'west', label: 'West' }, 'level:expiry': { value: 'yellow' }, batches: 2 },
    ],
  }

  it('stacks one series per level, mildest first, in the level colours', () => {
    const series = seriesOf(chartOption('stacked_bar', result, texts))
    expect(series.map((s) => s.name)).toEqual(['L:green', 'L:yellow', 'L:expired'])
    expect(series.map((s) => s.color)).toEqual([LEVEL_COLORS.green, LEVEL_COLORS.yellow, LEVEL_COLORS.expired])
    expect(series.every((s) => s.stack === 'total')).toBe(true)
  })

  it('gives each segment both values as its point and leaves missing cells empty', () => {
    const green = seriesOf(chartOption('stacked_bar', result, texts))[0]
    expect(green.data[0]).toMatchObject({ value: 5, point: { warehouse: 'east', 'level:expiry': 'green' }, labels: ['East', 'L:green'] })
    expect(green.data[1].value).toBeNull()
  })
})

describe('pie, donut and funnel', () => {
  it('make one slice per value; a donut has a hole', () => {
    const [pie] = seriesOf(chartOption('pie', byWarehouse, texts))
    const [donut] = seriesOf(chartOption('donut', byWarehouse, texts))
    expect(pie.data.map((d) => [d.name, d.value])).toEqual([
      ['East', 4],
      ['West', 2],
      ['(empty)', 1],
    ])
    expect(pie.radius).toBe('62%')
    expect(donut.radius).toEqual(['40%', '62%'])
    expect(seriesOf(chartOption('funnel', byWarehouse, texts))[0].type).toBe('funnel')
  })

  it('colour level slices with the level colours', () => {
    const [pie] = seriesOf(chartOption('pie', byLevel, texts))
    expect(pie.data.map((d) => d.itemStyle?.color)).toEqual([LEVEL_COLORS.red, LEVEL_COLORS.green])
  })
})

it('a heatmap puts the first dimension across, the second down, and the first measure in the cells', () => {
  const result: ChartResult = {
    ...byWarehouse,
    dimensions: [byWarehouse.dimensions[0], { key: 'produced:month', label: 'Month', type: 'bucket' }],
    rows: [
      { warehouse: { value: 'east', label: 'East' }, 'produced:month': { value: '2025-01', label: '2025-01' }, batches: 3 },
      { warehouse: { value: 'west', label: 'West' }, 'produced:month': { value: '2025-02', label: '2025-02' }, batches: 6 },
    ],
  }
  const option = chartOption('heatmap', result, texts) as { visualMap: { min: number; max: number }; yAxis: { data: string[] } }
  expect(option.yAxis.data).toEqual(['2025-01', '2025-02'])
  expect(seriesOf(option)[0].data.map((d) => d.value)).toEqual([
    [0, 0, 3],
    [1, 1, 6],
  ])
  expect(option.visualMap).toMatchObject({ min: 0, max: 6 })
})

describe('a map of provinces', () => {
  const result: ChartResult = {
    ...byWarehouse,
    dimensions: [{ key: 'province', label: 'Province', type: 'field' }],
    rows: [
      { province: { value: '440000', label: '广东省' }, batches: 8 },
      { province: { value: 'sh', label: 'Shanghai' }, batches: 2 },
      { province: { value: 'x', label: 'Atlantis' }, batches: 1 },
    ],
  }

  it('names each area as the map outline does', () => {
    const [series] = seriesOf(chartOption('map', result, texts))
    expect(series).toMatchObject({ type: 'map', map: 'china' })
    expect(series.data.map((d) => d.name)).toEqual(['广东', '上海', 'Atlantis'])
  })

  it('tells which values are not on the map', () => {
    expect(unplacedProvinces(result, texts)).toEqual(['Atlantis'])
  })
})

describe('KPI cards', () => {
  it('show each total and its change against the previous period', () => {
    const cards = kpiModels({ ...byWarehouse, previous: { totals: { batches: 10, qty: 155 } } }, texts)
    expect(cards[0]).toMatchObject({ label: 'Batches', value: 7, previous: 10, trend: 'down' })
    expect(cards[0].change).toBeCloseTo(-0.3)
    expect(cards[1]).toMatchObject({ trend: 'flat', change: 0 })
  })

  it('show no trend without a comparison', () => {
    expect(kpiModels(byWarehouse, texts)[0]).toMatchObject({ trend: null, change: null, text: '7' })
  })
})

it('a table lists dimensions then measures, with a totals row and level colours', () => {
  const model = tableModel(byWarehouse, texts)
  expect(model.columns.map((c) => [c.label, c.numeric])).toEqual([
    ['Warehouse', false],
    ['Batches', true],
    ['Quantity', true],
  ])
  expect(model.rows[0].cells).toEqual({ warehouse: 'East', batches: '4', qty: '120' })
  expect(model.totals).toEqual({ warehouse: 'Total', batches: '7', qty: '155' })
  const levels = tableModel(byLevel, texts)
  expect(levels.levelKey).toBe('level:expiry')
  expect(levels.rows.map((r) => r.color)).toEqual([LEVEL_COLORS.red, LEVEL_COLORS.green])
})

it('reads the point of a clicked item, and nothing from a click on empty space', () => {
  expect(clickedPoint({ data: { value: 1, point: { warehouse: 'east' }, labels: ['East'] } })).toEqual({ point: { warehouse: 'east' }, labels: ['East'] })
  expect(clickedPoint({ data: 3 })).toBeNull()
  expect(clickedPoint(undefined)).toBeNull()
})
