/**
 * Drill-down through a chart's dimensions, without Vue. A chart with more dimensions than
 * its type shows at once (region, warehouse, category, batch on a bar chart) is a ladder:
 * each click adds the clicked value to the point and steps to the next dimension, and the
 * breadcrumb steps back up. The server turns a point into a record filter (the drill call)
 * and gives each step's figures (the data call with the point and the depth), stepping
 * through the dimensions by the same rule as `ladderOf` (form_engine/chart_steps.py).
 */
import { dimensionKey, dimensionsShown } from './definition'
import type { ChartDefinition, Dimension, DrillAnswer } from './types'

export interface DrillStep {
  /** Every clicked value so far, by result dimension key: what the drill call gets. */
  point: Record<string, unknown>
  /** What the breadcrumb shows for this step ("华东 · 红色"). */
  labels: string[]
  /** The server's answer for `point`: the records' form, filter and count. */
  answer: DrillAnswer
}

/**
 * The dimensions one can step through. Charts drawing two at once (stacked bar, heatmap)
 * keep their last dimension as the stacks or rows and step through the others.
 */
export function ladderOf(def: ChartDefinition): Dimension[] {
  const shown = dimensionsShown(def.type, def.dimensions.length)
  if (def.type === 'kpi' || def.type === 'table') return []
  if (shown === 2) return def.dimensions.length > 2 ? def.dimensions.slice(0, -1) : def.dimensions.slice(0, 1)
  return def.dimensions
}

/** Whether a click at `depth` (0 = the chart as saved) steps down to another dimension. */
export function canStepDown(def: ChartDefinition, depth: number): boolean {
  return depth + 1 < ladderOf(def).length
}

/** The dimensions drawn at `depth`: the ladder's rung, plus the kept last dimension where there is one. */
export function dimensionsAt(def: ChartDefinition, depth: number): Dimension[] {
  const ladder = ladderOf(def)
  if (!ladder.length) return def.dimensions
  const rung = ladder[Math.min(depth, ladder.length - 1)]
  const kept = dimensionsShown(def.type, def.dimensions.length) === 2 ? def.dimensions[def.dimensions.length - 1] : null
  return kept && kept !== rung ? [rung, kept] : [rung]
}

/** Whether the chart has a ladder to step down: its views then group by fewer dimensions than it names. */
export function stepsThrough(def: ChartDefinition): boolean {
  return ladderOf(def).length > 1
}

/**
 * The definition of the view at `depth` (before any click): grouped by that rung's
 * dimensions, sorted by what it still has. The builder previews the top view with it; a
 * saved chart's steps come from the server. A chart without a ladder is shown as saved.
 */
export function definitionAt(def: ChartDefinition, depth: number): ChartDefinition {
  if (!stepsThrough(def)) return def
  const dimensions = dimensionsAt(def, depth)
  const keys = new Set([...def.measures.map((m) => m.key), ...dimensions.map(dimensionKey)])
  return { ...def, dimensions, sort: def.sort.filter((s) => keys.has(s.key)) }
}

/**
 * Server messages about the view at `depth` moved to the dimension paths of the whole
 * definition (`definition.dimensions.1` of a stacked view may be the chart's fourth).
 */
export function errorsOfView(errors: Record<string, string>, def: ChartDefinition, depth: number): Record<string, string> {
  if (!stepsThrough(def)) return errors
  const shown = dimensionsAt(def, depth)
  const out: Record<string, string> = {}
  for (const [path, message] of Object.entries(errors)) {
    const match = /^definition\.dimensions\.(\d+)(.*)$/.exec(path)
    const index = match ? def.dimensions.indexOf(shown[Number(match[1])]) : -1
    out[match && index >= 0 ? `definition.dimensions.${index}${match[2]}` : path] = message
  }
  return out
}

/** The point a click at the end of `steps` sends: the path so far plus the clicked item's values. */
export function pointFor(steps: DrillStep[], clicked: Record<string, unknown>): Record<string, unknown> {
  return { ...(steps.at(-1)?.point ?? {}), ...clicked }
}

/** The path after the user goes back to `depth` through the breadcrumb (0: the whole chart). */
export function backTo(steps: DrillStep[], depth: number): DrillStep[] {
  return steps.slice(0, Math.max(0, depth))
}

/** The point the view at the end of `steps` is narrowed to (empty at the top). */
export function pathPoint(steps: DrillStep[]): Record<string, unknown> {
  return steps.at(-1)?.point ?? {}
}

/** A records list filter as the records page takes it in its `filter` query parameter. */
export function recordsQuery(answer: DrillAnswer): { filter?: string } {
  return answer.filter === null || answer.filter === undefined ? {} : { filter: JSON.stringify(answer.filter) }
}
