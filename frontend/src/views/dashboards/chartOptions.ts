/**
 * A chart result turned into what the screen draws: an ECharts option for the drawn types,
 * a KPI model and a table model for the others. Pure functions: texts and number formats
 * come in through ChartTexts, so this module knows no language and no Vue.
 *
 * Every clickable data item carries `point` (the result dimension keys of that item and
 * their values, what the drill call takes) and `labels` (what the breadcrumb shows).
 */
import type { EChartsCoreOption } from 'echarts/core'
import type { Label } from '@/api/formTypes'
import type { Level } from '@/api/ruleTypes'
import { LEVELS_MILDEST_FIRST, PALETTE, asLevel, levelColor, paletteColor } from './colors'
import { isLevelKey } from './definition'
import { CHINA_MAP, provinceName } from './provinces'
import type { ChartResult, ChartType, DimensionValue, ResultDimension, ResultRow } from './types'

export interface ChartTexts {
  label: (label: Label | null | undefined, fallback: string) => string
  level: (level: Level) => string
  /** Shown for a missing value ("(empty)"). */
  empty: string
  total: string
  formatNumber: (n: number | null | undefined) => string
}

export interface PointData {
  point: Record<string, unknown>
  labels: string[]
}

/** The types ECharts draws; KPI cards and tables are plain components. */
export function drawnByECharts(type: ChartType): boolean {
  return type !== 'kpi' && type !== 'table'
}

function asDimensionValue(cell: ResultRow[string] | undefined): DimensionValue {
  if (cell !== null && typeof cell === 'object') return cell
  return { value: cell ?? null }
}

export function measureOf(row: ResultRow, key: string): number | null {
  const cell = row[key]
  if (typeof cell === 'number') return cell
  if (typeof cell === 'string' && cell !== '' && !Number.isNaN(Number(cell))) return Number(cell)
  return null
}

const isLevelDim = (dim: ResultDimension) => isLevelKey(dim.key, dim.type)

/** What a dimension value shows: level names translated, labels in the UI language. */
export function valueLabel(dim: ResultDimension, cell: ResultRow[string] | undefined, texts: ChartTexts): string {
  const { value, label } = asDimensionValue(cell)
  if (isLevelDim(dim)) return texts.level(asLevel(value))
  if (value === null || value === undefined || value === '') return texts.label(label, texts.empty)
  return texts.label(label, String(value))
}

interface AxisEntry {
  id: string
  value: DimensionValue['value']
  label: string
}

const idOf = (value: unknown) => (value === null || value === undefined ? '\u0000' : String(value))

/** The distinct values of a dimension in row order; level values mildest first. */
export function axisOf(result: ChartResult, dim: ResultDimension, texts: ChartTexts): AxisEntry[] {
  const seen = new Map<string, AxisEntry>()
  for (const row of result.rows) {
    const { value } = asDimensionValue(row[dim.key])
    const id = idOf(value)
    if (!seen.has(id)) seen.set(id, { id, value, label: valueLabel(dim, row[dim.key], texts) })
  }
  const entries = [...seen.values()]
  if (isLevelDim(dim)) entries.sort((a, b) => LEVELS_MILDEST_FIRST.indexOf(asLevel(a.value)) - LEVELS_MILDEST_FIRST.indexOf(asLevel(b.value)))
  return entries
}

function measureLabel(result: ChartResult, key: string, texts: ChartTexts): string {
  const measure = result.measures.find((m) => m.key === key)
  return texts.label(measure?.label, key)
}

function pointOf(row: ResultRow, dims: ResultDimension[], texts: ChartTexts): PointData {
  const point: Record<string, unknown> = {}
  const labels: string[] = []
  for (const dim of dims) {
    point[dim.key] = asDimensionValue(row[dim.key]).value
    labels.push(valueLabel(dim, row[dim.key], texts))
  }
  return { point, labels }
}

function base(texts: ChartTexts, legend: boolean): EChartsCoreOption {
  return {
    color: PALETTE,
    animationDuration: 300,
    tooltip: { confine: true, valueFormatter: (v: unknown) => texts.formatNumber(typeof v === 'number' ? v : Number(v)) },
    legend: legend ? { type: 'scroll', bottom: 0 } : { show: false },
  }
}

function grid(legend: boolean) {
  return { left: 8, right: 16, top: 24, bottom: legend ? 36 : 8, containLabel: true }
}

/** bar, line and area: one category axis, one series per measure (or per stacked value). */
function cartesian(type: ChartType, result: ChartResult, texts: ChartTexts): EChartsCoreOption {
  const dims = result.dimensions
  const measures = result.measures.map((m) => m.key)
  const kind = type === 'line' || type === 'area' ? 'line' : 'bar'
  const extra = (index: number) => ({
    ...(type === 'area' ? { areaStyle: { opacity: 0.25 } } : {}),
    ...(type === 'stacked_bar' ? { stack: 'total' } : {}),
    ...(kind === 'line' ? { showSymbol: true, symbolSize: 6 } : { barMaxWidth: 48 }),
    color: paletteColor(index),
  })

  if (type === 'stacked_bar' && dims.length >= 2) return stackedByValue(result, texts)

  if (!dims.length) {
    const series = measures.map((key, i) => ({ type: kind, name: measureLabel(result, key, texts), data: [{ value: result.totals[key] ?? measureOf(result.rows[0] ?? {}, key), point: {}, labels: [] }], ...extra(i) }))
    return { ...base(texts, series.length > 1), grid: grid(series.length > 1), tooltip: { ...(base(texts, false).tooltip as object), trigger: 'axis' }, xAxis: { type: 'category', data: [texts.total] }, yAxis: { type: 'value' }, series }
  }

  const dim = dims[0]
  const level = isLevelDim(dim)
  const series = measures.map((key, i) => ({
    type: kind,
    name: measureLabel(result, key, texts),
    data: result.rows.map((row) => ({
      value: measureOf(row, key),
      ...pointOf(row, [dim], texts),
      ...(level && measures.length === 1 && kind === 'bar' ? { itemStyle: { color: levelColor(asDimensionValue(row[dim.key]).value) } } : {}),
    })),
    ...extra(i),
  }))
  const legend = series.length > 1
  return {
    ...base(texts, legend),
    tooltip: { ...(base(texts, false).tooltip as object), trigger: 'axis' },
    grid: grid(legend),
    xAxis: { type: 'category', data: result.rows.map((row) => valueLabel(dim, row[dim.key], texts)), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value' },
    series,
  }
}

/** A stacked bar of two dimensions: the first along the axis, one stack per value of the second. */
function stackedByValue(result: ChartResult, texts: ChartTexts): EChartsCoreOption {
  const [axisDim, stackDim] = result.dimensions
  const key = result.measures[0]?.key ?? ''
  const axis = axisOf(result, axisDim, texts)
  const stacks = axisOf(result, stackDim, texts)
  const level = isLevelDim(stackDim)
  const cells = new Map<string, ResultRow>()
  for (const row of result.rows) cells.set(`${idOf(asDimensionValue(row[axisDim.key]).value)}|${idOf(asDimensionValue(row[stackDim.key]).value)}`, row)
  const series = stacks.map((stack, i) => ({
    type: 'bar',
    name: stack.label,
    stack: 'total',
    barMaxWidth: 48,
    color: level ? levelColor(stack.value) : paletteColor(i),
    data: axis.map((entry) => {
      const row = cells.get(`${entry.id}|${stack.id}`)
      return {
        value: row ? measureOf(row, key) : null,
        point: { [axisDim.key]: entry.value, [stackDim.key]: stack.value },
        labels: [entry.label, stack.label],
      }
    }),
  }))
  return {
    ...base(texts, true),
    tooltip: { ...(base(texts, false).tooltip as object), trigger: 'axis' },
    grid: grid(true),
    xAxis: { type: 'category', data: axis.map((a) => a.label), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value' },
    series,
  }
}

/** Slices of pie, donut and funnel: one per value of the first dimension (or one per measure). */
function slices(result: ChartResult, texts: ChartTexts) {
  const dim = result.dimensions[0]
  const key = result.measures[0]?.key ?? ''
  if (!dim) {
    return result.measures.map((m, i) => ({ name: texts.label(m.label, m.key), value: result.totals[m.key] ?? null, point: {}, labels: [], itemStyle: { color: paletteColor(i) } }))
  }
  const level = isLevelDim(dim)
  return result.rows.map((row, i) => ({
    name: valueLabel(dim, row[dim.key], texts),
    value: measureOf(row, key),
    ...pointOf(row, [dim], texts),
    itemStyle: { color: level ? levelColor(asDimensionValue(row[dim.key]).value) : paletteColor(i) },
  }))
}

function pie(type: 'pie' | 'donut', result: ChartResult, texts: ChartTexts): EChartsCoreOption {
  const data = slices(result, texts)
  // each slice is labelled with its name, so a legend would only crowd a small panel
  return {
    ...base(texts, false),
    tooltip: { ...(base(texts, false).tooltip as object), trigger: 'item' },
    series: [
      {
        type: 'pie',
        name: measureLabel(result, result.measures[0]?.key ?? '', texts),
        radius: type === 'donut' ? ['40%', '62%'] : '62%',
        center: ['50%', '50%'],
        avoidLabelOverlap: true,
        label: { formatter: '{b}: {d}%' },
        data,
      },
    ],
  }
}

function funnel(result: ChartResult, texts: ChartTexts): EChartsCoreOption {
  return {
    ...base(texts, true),
    tooltip: { ...(base(texts, false).tooltip as object), trigger: 'item' },
    series: [{ type: 'funnel', name: measureLabel(result, result.measures[0]?.key ?? '', texts), sort: 'descending', left: '10%', width: '80%', top: 16, bottom: 40, label: { position: 'inside' }, data: slices(result, texts) }],
  }
}

function extent(values: (number | null)[]): [number, number] {
  const numbers = values.filter((v): v is number => typeof v === 'number')
  return numbers.length ? [Math.min(0, ...numbers), Math.max(...numbers, 1)] : [0, 1]
}

function heatmap(result: ChartResult, texts: ChartTexts): EChartsCoreOption {
  const [xDim, yDim] = result.dimensions
  const key = result.measures[0]?.key ?? ''
  if (!xDim || !yDim) return cartesian('bar', result, texts)
  const xs = axisOf(result, xDim, texts)
  const ys = axisOf(result, yDim, texts)
  const data = result.rows.map((row) => {
    const x = xs.findIndex((e) => e.id === idOf(asDimensionValue(row[xDim.key]).value))
    const y = ys.findIndex((e) => e.id === idOf(asDimensionValue(row[yDim.key]).value))
    return { value: [x, y, measureOf(row, key)], ...pointOf(row, [xDim, yDim], texts) }
  })
  const [min, max] = extent(data.map((d) => d.value[2]))
  return {
    ...base(texts, false),
    tooltip: { confine: true, trigger: 'item', formatter: (p: { data?: { labels?: string[]; value?: unknown[] } }) => `${p.data?.labels?.join(' · ') ?? ''}<br/>${texts.formatNumber(p.data?.value?.[2] as number | null)}` },
    grid: { left: 8, right: 16, top: 16, bottom: 44, containLabel: true },
    xAxis: { type: 'category', data: xs.map((e) => e.label), splitArea: { show: true } },
    yAxis: { type: 'category', data: ys.map((e) => e.label), splitArea: { show: true } },
    visualMap: { min, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#eef4fc', '#3b7dd8', '#1d3f73'] } },
    series: [{ type: 'heatmap', name: measureLabel(result, key, texts), data, label: { show: data.length <= 60, formatter: (p: { value: unknown[] }) => texts.formatNumber(p.value[2] as number | null) } }],
  }
}

/** Result values that name no province, so the user can be told they are not on the map. */
export function unplacedProvinces(result: ChartResult, texts: ChartTexts): string[] {
  const dim = result.dimensions[0]
  if (!dim) return []
  return result.rows
    .filter((row) => {
      const cell = asDimensionValue(row[dim.key])
      return !provinceName(texts.label(cell.label, '')) && !provinceName(cell.value)
    })
    .map((row) => valueLabel(dim, row[dim.key], texts))
}

function map(result: ChartResult, texts: ChartTexts): EChartsCoreOption {
  const dim = result.dimensions[0]
  const key = result.measures[0]?.key ?? ''
  const data = dim
    ? result.rows.map((row) => {
        const cell = asDimensionValue(row[dim.key])
        return { name: provinceName(texts.label(cell.label, '')) ?? provinceName(cell.value) ?? valueLabel(dim, row[dim.key], texts), value: measureOf(row, key), ...pointOf(row, [dim], texts) }
      })
    : []
  const [min, max] = extent(data.map((d) => d.value))
  return {
    ...base(texts, false),
    tooltip: { ...(base(texts, false).tooltip as object), trigger: 'item' },
    visualMap: { min, max, calculable: true, left: 8, bottom: 8, itemHeight: 100, inRange: { color: ['#eef4fc', '#3b7dd8', '#1d3f73'] } },
    series: [
      {
        type: 'map',
        map: CHINA_MAP,
        name: measureLabel(result, key, texts),
        roam: false,
        layoutCenter: ['50%', '52%'],
        layoutSize: '115%',
        emphasis: { label: { show: true }, itemStyle: { areaColor: '#96c5ab' } },
        itemStyle: { areaColor: '#f2f4f3', borderColor: '#c0c4cc' },
        data,
      },
    ],
  }
}

/** The ECharts option of a drawn chart type; null for KPI cards and tables. */
export function chartOption(type: ChartType, result: ChartResult, texts: ChartTexts): EChartsCoreOption | null {
  switch (type) {
    case 'bar':
    case 'stacked_bar':
    case 'line':
    case 'area':
      return cartesian(type, result, texts)
    case 'pie':
    case 'donut':
      return pie(type, result, texts)
    case 'funnel':
      return funnel(result, texts)
    case 'heatmap':
      return heatmap(result, texts)
    case 'map':
      return map(result, texts)
    default:
      return null
  }
}

export interface KpiModel {
  key: string
  label: string
  value: number | null
  text: string
  previous: number | null
  /** (value - previous) / |previous|; null without a previous period or when it was 0. */
  change: number | null
  trend: 'up' | 'down' | 'flat' | null
}

/** One card per measure: its total and, with a comparison, the change against the previous period. */
export function kpiModels(result: ChartResult, texts: ChartTexts): KpiModel[] {
  return result.measures.map((m) => {
    const fromRows = result.rows.length === 1 ? measureOf(result.rows[0], m.key) : null
    const value = result.totals[m.key] ?? fromRows
    const previous = result.previous?.totals[m.key] ?? null
    const change = value !== null && previous !== null && previous !== 0 ? (value - previous) / Math.abs(previous) : null
    const trend = value === null || previous === null ? null : value > previous ? 'up' : value < previous ? 'down' : 'flat'
    return { key: m.key, label: texts.label(m.label, m.key), value, text: texts.formatNumber(value), previous, change, trend }
  })
}

export interface TableColumn {
  key: string
  label: string
  numeric: boolean
}

export interface TableRow extends PointData {
  cells: Record<string, string>
  /** The level colour of the row (of the result's first level dimension), if it has one. */
  color: string | null
}

export interface TableModel {
  columns: TableColumn[]
  /** The level dimension's column, whose cells carry the level colour. */
  levelKey: string | null
  rows: TableRow[]
  totals: Record<string, string> | null
}

/** Dimension columns, then measure columns, and a totals row when the result has totals. */
export function tableModel(result: ChartResult, texts: ChartTexts): TableModel {
  const columns: TableColumn[] = [
    ...result.dimensions.map((d) => ({ key: d.key, label: texts.label(d.label, d.key), numeric: false })),
    ...result.measures.map((m) => ({ key: m.key, label: texts.label(m.label, m.key), numeric: true })),
  ]
  const levelDim = result.dimensions.find(isLevelDim)
  const rows = result.rows.map((row) => {
    const cells: Record<string, string> = {}
    for (const d of result.dimensions) cells[d.key] = valueLabel(d, row[d.key], texts)
    for (const m of result.measures) cells[m.key] = texts.formatNumber(measureOf(row, m.key))
    return { cells, color: levelDim ? levelColor(asDimensionValue(row[levelDim.key]).value) : null, ...pointOf(row, result.dimensions, texts) }
  })
  const hasTotals = result.measures.some((m) => result.totals[m.key] !== undefined && result.totals[m.key] !== null)
  let totals: Record<string, string> | null = null
  if (hasTotals) {
    totals = {}
    result.dimensions.forEach((d, i) => (totals![d.key] = i === 0 ? texts.total : ''))
    for (const m of result.measures) totals[m.key] = texts.formatNumber(result.totals[m.key])
  }
  return { columns, levelKey: levelDim?.key ?? null, rows, totals }
}

/** Reads the point an ECharts click event carries (its data item), or null for a click on nothing. */
export function clickedPoint(params: { data?: unknown } | null | undefined): PointData | null {
  const data = params?.data as Partial<PointData> | undefined
  if (!data || typeof data !== 'object' || !data.point || typeof data.point !== 'object') return null
  return { point: data.point, labels: Array.isArray(data.labels) ? data.labels : [] }
}
