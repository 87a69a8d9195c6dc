/**
 * A chart's definition as the builder edits it, without Vue: which fields can be dimensions
 * or measures, their defaults, the keys results use, and the comfort checks the builder
 * shows before the server has its say. The server validates every definition itself.
 */
import type { FieldMeta, FieldType, Label } from '@/api/formTypes'
import { exprKind, type ExprKind } from '@/forms/fieldTypes'
import { labelText } from '@/forms/labels'
import type { Aggregation, ChartDefinition, ChartSource, ChartSourceKey, ChartType, Dimension, FormulaMeasure, Measure } from './types'

/** What the builder offers from a form: a field, or a field of a related form (`sku.category`). */
export interface FieldChoice {
  path: string
  /** The UI label; "SKU / Category" for a related form's field. */
  label: string
  kind: ExprKind
  type: FieldType
  /** Set for a fact of the source the chart reads (an alert's level), not a field of the form. */
  source?: ChartSourceKey
}

export type FieldRole = 'date' | 'number' | 'category'

/** Fields that charts cannot group or count (files, sub-tables, places, times of day). */
const LEFT_OUT: FieldType[] = ['subtable', 'attachment', 'image', 'location', 'time', 'richtext', 'textarea']

/** People, departments and related records are stored as ids: they group, they do not add up. */
const REFERENCES: FieldType[] = ['user', 'department', 'relation']

export function roleOf(choice: Pick<FieldChoice, 'kind' | 'type'>): FieldRole {
  if (choice.kind === 'date' || choice.kind === 'datetime') return 'date'
  if ((choice.kind === 'integer' || choice.kind === 'decimal') && !REFERENCES.includes(choice.type)) return 'number'
  return 'category'
}

function usable(field: FieldMeta): boolean {
  return !field.removed && !LEFT_OUT.includes(field.type) && exprKind(field) !== null
}

/**
 * The fields a chart can use: the form's own, then one level into each related form
 * (`related` maps a relation field's key to the published fields of the form it points to),
 * then the fields of the `source` the chart reads, if any (an alert's rule, level, times).
 * Relation fields themselves count as categories (they group by the linked record).
 */
export function fieldChoices(fields: FieldMeta[], related: Record<string, FieldMeta[]>, locale: string, source: ChartSource | null = null): FieldChoice[] {
  const out: FieldChoice[] = []
  for (const field of fields) {
    if (!usable(field)) continue
    const label = labelText(field.label, locale, field.key)
    out.push({ path: field.key, label, kind: exprKind(field) as ExprKind, type: field.type })
    if (field.type !== 'relation') continue
    for (const sub of related[field.key] ?? []) {
      if (!usable(sub) || sub.type === 'relation') continue
      out.push({ path: `${field.key}.${sub.key}`, label: `${label} / ${labelText(sub.label, locale, sub.key)}`, kind: exprKind(sub) as ExprKind, type: sub.type })
    }
  }
  for (const field of source?.fields ?? []) {
    if (usable(field) && source) out.push({ path: field.key, label: labelText(field.label, locale, field.key), kind: exprKind(field) as ExprKind, type: field.type, source: source.key })
  }
  return out
}

/** Whether an expression reads any of `keys` (`{"var": key}`, `{"missing": [key]}`). */
function mentions(node: unknown, keys: Set<string>): boolean {
  if (Array.isArray(node)) return node.some((item) => mentions(item, keys))
  if (typeof node !== 'object' || node === null) return false
  return Object.entries(node).some(([op, arg]) => {
    if (op === 'var') return keys.has(String(Array.isArray(arg) ? arg[0] : arg))
    if (op === 'missing' && Array.isArray(arg) && arg.some((key) => keys.has(String(key)))) return true
    return mentions(arg, keys)
  })
}

/**
 * The definition reading `source` (null: the form's records). A chart of alerts has the
 * alert's level as a field, so the rules' level dimensions go; back on the records, all that
 * names one of `sourceKeys` (the source's fields) goes: dimensions, measures and the
 * formulas and sorts built on them, the date field, and a filter reading one.
 */
export function withSource(def: ChartDefinition, source: ChartSourceKey | null, sourceKeys: string[]): ChartDefinition {
  if (source) return { ...def, source, dimensions: def.dimensions.filter((d) => !('alert_level' in d)) }
  const gone = new Set(sourceKeys)
  let next: ChartDefinition = {
    ...def,
    dimensions: def.dimensions.filter((d) => !('field' in d && gone.has(d.field))),
    date_field: def.date_field && gone.has(def.date_field) ? null : def.date_field,
    filter: mentions(def.filter, gone) ? null : def.filter,
  }
  delete next.source
  const readsGone = (m: Measure) => !isFormula(m) && m.field !== undefined && gone.has(m.field)
  for (let index = next.measures.findIndex(readsGone); index >= 0; index = next.measures.findIndex(readsGone)) next = removeMeasure(next, index)
  const keys = new Set(sortKeys(next))
  return { ...next, sort: next.sort.filter((s) => keys.has(s.key)), compare: next.date_field ? next.compare : null }
}

export function emptyDefinition(type: ChartType = 'bar'): ChartDefinition {
  return { type, dimensions: [], measures: [], filter: null, sort: [], limit: null, date_field: null, compare: null }
}

/** The key a result uses for a dimension: `warehouse`, `produced:month`, `level:<rule key>`. */
export function dimensionKey(dim: Dimension): string {
  if ('alert_level' in dim) return `level:${dim.alert_level}`
  return dim.bucket ? `${dim.field}:${dim.bucket}` : dim.field
}

/** Whether a result dimension (by key or by its declared type) holds warning levels. */
export function isLevelKey(key: string, type?: string): boolean {
  return type === 'level' || key.startsWith('level:')
}

export function defaultDimension(choice: FieldChoice): Dimension {
  return roleOf(choice) === 'date' ? { field: choice.path, bucket: 'month' } : { field: choice.path }
}

export function levelDimension(ruleKey: string): Dimension {
  return { alert_level: ruleKey }
}

/** Aggregations that make sense for a field: numbers add up, other values only count. */
export function aggregationsFor(choice: Pick<FieldChoice, 'kind' | 'type'> | null): Aggregation[] {
  if (!choice) return ['count']
  switch (roleOf(choice)) {
    case 'number':
      return ['sum', 'avg', 'min', 'max', 'count_distinct']
    case 'date':
      return ['min', 'max', 'count_distinct']
    default:
      return ['count_distinct']
  }
}

/** `base`, or `base_2`, `base_3`... so no two measures share a key. */
export function uniqueMeasureKey(base: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  const clean = base.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^_+|_+$/g, '') || 'm'
  let key = clean
  for (let n = 2; used.has(key); n++) key = `${clean}_${n}`
  return key
}

const keysOf = (measures: Measure[]) => measures.map((m) => m.key)

/** The count of records (batches): the measure every chart can start from. */
export function countMeasure(measures: Measure[]): Measure {
  return { key: uniqueMeasureKey('records', keysOf(measures)), agg: 'count' }
}

export function defaultMeasure(choice: FieldChoice, measures: Measure[]): Measure {
  const agg = aggregationsFor(choice)[0]
  return { key: uniqueMeasureKey(`${choice.path}_${agg}`, keysOf(measures)), agg, field: choice.path }
}

export const FORMULA_OPS = ['/', '*', '+', '-'] as const
export type FormulaOp = (typeof FORMULA_OPS)[number]

export function isFormula(measure: Measure): measure is FormulaMeasure {
  return 'formula' in measure
}

/** A measure computed from two others, e.g. quantity per batch. */
export function formulaMeasure(op: FormulaOp, left: string, right: string, measures: Measure[], label?: Label): FormulaMeasure {
  const names: Record<FormulaOp, string> = { '/': 'per', '*': 'times', '+': 'plus', '-': 'minus' }
  const measure: FormulaMeasure = {
    key: uniqueMeasureKey(`${left}_${names[op]}_${right}`, keysOf(measures)),
    formula: { [op]: [{ var: left }, { var: right }] },
  }
  if (label) measure.label = label
  return measure
}

/** The two measures and the operator of a formula the builder made; null for anything else. */
export function formulaParts(formula: unknown): { op: FormulaOp; left: string; right: string } | null {
  if (typeof formula !== 'object' || formula === null || Array.isArray(formula)) return null
  const entries = Object.entries(formula)
  if (entries.length !== 1) return null
  const [op, args] = entries[0]
  if (!(FORMULA_OPS as readonly string[]).includes(op) || !Array.isArray(args) || args.length !== 2) return null
  const name = (node: unknown) => (typeof node === 'object' && node !== null && typeof (node as { var?: unknown }).var === 'string' ? (node as { var: string }).var : null)
  const left = name(args[0])
  const right = name(args[1])
  return left && right ? { op: op as FormulaOp, left, right } : null
}

/** How many dimensions one view of a chart shows at once (the rest are drill levels). */
export function dimensionsShown(type: ChartType, total: number): number {
  switch (type) {
    case 'kpi':
      return 0
    case 'table':
      return total
    case 'stacked_bar':
    case 'heatmap':
      return Math.min(2, total)
    default:
      return Math.min(1, total)
  }
}

/** Problems the builder points out before asking the server (message keys under dashboards.problems). */
export function definitionProblems(def: ChartDefinition): string[] {
  const problems: string[] = []
  if (!def.measures.length) problems.push('needMeasure')
  if (def.type !== 'kpi' && def.type !== 'table' && !def.dimensions.length) problems.push('needDimension')
  if (def.type === 'heatmap' && def.dimensions.length < 2) problems.push('needTwoDimensions')
  if (def.compare && !def.date_field) problems.push('compareNeedsDate')
  for (const m of def.measures) {
    if (!isFormula(m)) continue
    const parts = formulaParts(m.formula)
    if (parts && (!keysOf(def.measures).includes(parts.left) || !keysOf(def.measures).includes(parts.right))) problems.push('formulaMissing')
  }
  return problems
}

/** Keys the chart can be sorted by: its measures, then its dimensions. */
export function sortKeys(def: ChartDefinition): string[] {
  return [...keysOf(def.measures), ...def.dimensions.map(dimensionKey)]
}

/**
 * The definition as it is saved: sort entries that name a removed measure or dimension are
 * dropped, and a limit of 0 or less means no limit.
 */
export function cleanDefinition(def: ChartDefinition): ChartDefinition {
  const keys = new Set(sortKeys(def))
  return {
    ...def,
    sort: def.sort.filter((s) => keys.has(s.key)),
    limit: def.limit && def.limit > 0 ? Math.floor(def.limit) : null,
    compare: def.compare && def.date_field ? def.compare : null,
  }
}

/** Removes a measure and what pointed at it (sorts, formulas built on it). */
export function removeMeasure(def: ChartDefinition, index: number): ChartDefinition {
  const removed = def.measures[index]
  if (!removed) return def
  const measures = def.measures.filter((_, i) => i !== index)
  const usesRemoved = (m: Measure) => {
    const parts = isFormula(m) ? formulaParts(m.formula) : null
    return parts !== null && (parts.left === removed.key || parts.right === removed.key)
  }
  return { ...def, measures: measures.filter((m) => !usesRemoved(m)), sort: def.sort.filter((s) => s.key !== removed.key) }
}

/** Moves the item at `from` one step up (-1) or down (+1); order decides drill levels. */
export function moveItem<T>(items: T[], from: number, step: -1 | 1): T[] {
  const to = from + step
  if (to < 0 || to >= items.length) return items
  const out = [...items]
  ;[out[from], out[to]] = [out[to], out[from]]
  return out
}

/** The server's messages for one control: the path itself and everything under it. */
export function errorsAt(errors: Record<string, string>, path: string): string {
  return Object.entries(errors)
    .filter(([key]) => key === path || key.startsWith(`${path}.`))
    .map(([, message]) => message)
    .join(' ')
}
