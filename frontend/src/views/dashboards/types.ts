/**
 * Shapes of charts, chart results and dashboards as the /api/v1 chart and dashboard
 * endpoints send and take them. Only shapes live here: the calls are in api.ts, the
 * definition's rules in definition.ts.
 */
import type { Expression, FieldMeta, Label } from '@/api/formTypes'

export const CHART_TYPES = ['bar', 'stacked_bar', 'line', 'area', 'pie', 'donut', 'kpi', 'table', 'heatmap', 'map', 'funnel'] as const
export type ChartType = (typeof CHART_TYPES)[number]

export const BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const
export type Bucket = (typeof BUCKETS)[number]

export const AGGREGATIONS = ['count', 'sum', 'avg', 'min', 'max', 'count_distinct'] as const
export type Aggregation = (typeof AGGREGATIONS)[number]

/** Group by a field (`warehouse`, `sku.category`), a date field in buckets, or a rule's level. */
export type Dimension = { field: string; bucket?: Bucket } | { alert_level: string }

export interface AggregateMeasure {
  key: string
  agg: Aggregation
  /** Absent for a plain count of records. */
  field?: string
  /** Shown instead of the server's default name for the measure. */
  label?: Label
}

export interface FormulaMeasure {
  key: string
  /** An expression over other measures' keys ({"/": [{"var": "qty"}, {"var": "batches"}]}). */
  formula: Expression
  label?: Label
}

export type Measure = AggregateMeasure | FormulaMeasure

export interface SortSpec {
  key: string
  desc: boolean
}

export type Compare = 'previous_period' | null

/** What a chart reads besides its form's records: the alerts warning rules raised on them. */
export type ChartSourceKey = 'alerts'

/** A source the builder may offer for a form, with the fields it adds (the server's own). */
export interface ChartSource {
  key: ChartSourceKey
  fields: FieldMeta[]
  /** How many warning rules watch the form: without one there are no alerts to chart. */
  rules: number
}

export interface ChartDefinition {
  /** Absent or null: the form's records. */
  source?: ChartSourceKey | null
  type: ChartType
  dimensions: Dimension[]
  measures: Measure[]
  filter: Expression | null
  sort: SortSpec[]
  limit: number | null
  date_field: string | null
  compare: Compare
}

export interface Chart {
  id: number
  key: string
  label: Label
  app_id: number | null
  form_id: number
  definition: ChartDefinition
  updated_at?: string
}

/** What drawing a chart on a dashboard needs (a dashboard's read answer carries these). */
export type DashboardChart = Pick<Chart, 'id' | 'label' | 'form_id' | 'definition'>

export interface ChartInput {
  key?: string
  label?: Label
  app_id?: number | null
  form_id?: number
  definition?: ChartDefinition
}

/** A picked filter value: a choice field's option (text), or a relation field's record id (a number). */
export type EqualsValue = string | number

/** The filters a dashboard applies to every chart; dates are YYYY-MM-DD. */
export interface GlobalFilters {
  date_from?: string | null
  date_to?: string | null
  /** Semantic filter names (warehouse, category) to the picked value: a choice, or a related record's id. */
  equals?: Record<string, EqualsValue>
}

/** A value of a result dimension: what to send back (value) and what to show (label). */
export interface DimensionValue {
  value: string | number | boolean | null
  label?: Label | null
}

export interface ResultDimension {
  key: string
  label: Label
  /** The dimension's kind: `field`, `bucket`, `level` (or the field's type). */
  type?: string
}

export interface ResultMeasure {
  key: string
  label: Label
}

export type ResultRow = Record<string, DimensionValue | number | null>

export interface ChartResult {
  dimensions: ResultDimension[]
  measures: ResultMeasure[]
  rows: ResultRow[]
  totals: Record<string, number | null>
  previous: { totals: Record<string, number | null> } | null
  cached: boolean
  computed_at: string | null
}

/** One alert behind a value of a chart over alerts (`"source": "alerts"`). */
export interface DrilledAlert {
  record_id: number
  title: string | null
  alert_level: string
  alert_raised_at: string | null
  alert_handled_at: string | null
  alert_hours: number | null
}

export interface DrillAnswer {
  form_id: number
  filter: Expression | null
  count: number
  /** A chart over alerts: the alerts themselves (the records API lists records, not alerts). */
  alerts?: DrilledAlert[]
}

export interface LayoutItem {
  chart_id: number
  x: number
  y: number
  w: number
  h: number
}

export interface Dashboard {
  id: number
  key: string
  label: Label
  app_id: number | null
  layout: LayoutItem[]
  filters: GlobalFilters
  refresh_seconds: number | null
  viewer_role_ids: number[]
  editor_role_ids: number[]
  can_edit: boolean
  /** The charts its layout places; in one dashboard's answer, not in the list. */
  charts?: DashboardChart[]
}

export type DashboardInput = Partial<Omit<Dashboard, 'id' | 'can_edit' | 'charts'>>
