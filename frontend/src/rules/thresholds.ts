/**
 * The coloured threshold bar: from a metric and its red / yellow numbers, the segments
 * (expired, red, yellow, green) with their widths, in the order the server classifies.
 * An order that makes a level unreachable (red above yellow for %) shows as an empty segment.
 */
import type { Levels, Metric } from '@/api/ruleTypes'
import { higherIsWorse } from './levels'

export type BarLevel = 'expired' | 'red' | 'yellow' | 'green'

export interface Segment {
  level: BarLevel
  /** Share of the bar in percent; the four add up to 100. */
  width: number
  /** Lower and upper bound of the metric in this segment; null is open-ended. */
  from: number | null
  to: number | null
}

/** The expired slice does not depend on the numbers: it is "expiry date today or past". */
export const EXPIRED_WIDTH = 10

export type ThresholdProblem = 'missing' | 'negative' | 'order' | null

function valid(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n)
}

/** The metric value at the right end of the bar, so both thresholds stay visible. */
export function scaleMax(metric: Metric, levels: Partial<Levels>): number {
  const top = Math.max(valid(levels.red) ? levels.red : 0, valid(levels.yellow) ? levels.yellow : 0)
  if (metric === 'remaining_pct') return Math.max(100, top)
  return Math.max(Math.ceil(top * 1.5), 10)
}

function clamp(n: number, max: number): number {
  return Math.min(Math.max(n, 0), max)
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}

export function thresholdSegments(metric: Metric, levels: Partial<Levels>): Segment[] {
  const max = scaleMax(metric, levels)
  const span = 100 - EXPIRED_WIDTH
  const red = clamp(valid(levels.red) ? levels.red : 0, max)
  const yellowRaw = clamp(valid(levels.yellow) ? levels.yellow : 0, max)
  const share = (n: number) => round((n / max) * span)
  const expired: Segment = { level: 'expired', width: EXPIRED_WIDTH, from: null, to: 0 }
  if (higherIsWorse(metric)) {
    // red at or above red, yellow at or above yellow (a yellow above red is never reached)
    const yellow = Math.min(yellowRaw, red)
    return [
      expired,
      { level: 'red', width: share(max - red), from: red, to: null },
      { level: 'yellow', width: share(red - yellow), from: yellow, to: red },
      { level: 'green', width: share(yellow), from: null, to: yellow },
    ]
  }
  // red below red, yellow up to and including yellow (a yellow below red is never reached)
  const yellow = Math.max(yellowRaw, red)
  return [
    expired,
    { level: 'red', width: share(red), from: 0, to: red },
    { level: 'yellow', width: share(yellow - red), from: red, to: yellow },
    { level: 'green', width: share(max - yellow), from: yellow, to: null },
  ]
}

/** What is wrong with the numbers, for a hint beside the inputs; the server has the last word. */
export function thresholdProblem(metric: Metric, levels: Partial<Levels>): ThresholdProblem {
  if (!valid(levels.red) || !valid(levels.yellow)) return 'missing'
  if (levels.red < 0 || levels.yellow < 0) return 'negative'
  if (higherIsWorse(metric) ? levels.yellow > levels.red : levels.red > levels.yellow) return 'order'
  return null
}
