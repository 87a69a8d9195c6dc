/** The warning levels in order of urgency, their colours and the thresholds the server defaults to. */
import type { AlertLevel, Level, Levels, Metric } from '@/api/ruleTypes'

export const ALERT_LEVELS: AlertLevel[] = ['yellow', 'red', 'expired']
/** Most urgent first, as the board and the preview list them. */
export const LEVEL_ORDER: Level[] = ['expired', 'red', 'yellow', 'green', 'unknown']
export const METRICS: Metric[] = ['remaining_pct', 'remaining_days', 'predicted_unsold']

export const LEVEL_COLORS: Record<Level, string> = {
  expired: '#7a1f2b',
  red: '#d64545',
  yellow: '#e0a100',
  green: '#2e8b57',
  unknown: '#a8abb2',
}

/**
 * The levels' colours for text and for the background of white text: darker shades of
 * LEVEL_COLORS that read at 4.5:1 on white (tests/unit/contrast.spec.ts), where the bright
 * ones (bars, dots, borders) would not.
 */
export const LEVEL_INK: Record<Level, string> = {
  expired: '#7a1f2b',
  red: '#c23b3b',
  yellow: '#8f6400',
  green: '#277a4c',
  unknown: '#696c71',
}

/** Mirrors DEFAULT_LEVELS in app/rules/definition.py. */
export const DEFAULT_LEVELS: Record<Metric, Levels> = {
  remaining_pct: { red: 30, yellow: 60 },
  remaining_days: { red: 30, yellow: 90 },
  predicted_unsold: { red: 100, yellow: 1 },
}

/** Whether a bigger number is worse (predicted unsold) or better (remaining % and days). */
export function higherIsWorse(metric: Metric): boolean {
  return metric === 'predicted_unsold'
}

export function levelRank(level: Level | null | undefined): number {
  const i = LEVEL_ORDER.indexOf(level ?? 'unknown')
  return i < 0 ? LEVEL_ORDER.length : i
}

/** The level of a "<group>|<level>" key of the preview's by_category / by_warehouse maps. */
export function splitGroupKey(key: string): { group: string; level: Level } {
  const at = key.lastIndexOf('|')
  return at < 0 ? { group: key, level: 'unknown' } : { group: key.slice(0, at), level: key.slice(at + 1) as Level }
}

export interface GroupRow {
  group: string
  levels: Partial<Record<Level, { count: number; quantity: string; value: string }>>
  /** Rows at yellow or worse, for sorting the busiest groups first. */
  flagged: number
}

/** Pivots "<group>|<level>" totals into one row per group, busiest first. */
export function pivotGroups(totals: Record<string, { count: number; quantity: string; value: string }>): GroupRow[] {
  const rows = new Map<string, GroupRow>()
  for (const [key, value] of Object.entries(totals)) {
    const { group, level } = splitGroupKey(key)
    const row = rows.get(group) ?? { group, levels: {}, flagged: 0 }
    row.levels[level] = value
    if (level === 'yellow' || level === 'red' || level === 'expired') row.flagged += value.count
    rows.set(group, row)
  }
  return [...rows.values()].sort((a, b) => b.flagged - a.flagged || a.group.localeCompare(b.group))
}

/** "yellow->red" into its two ends ("none" when the record had no level before). */
export function splitChange(key: string): { from: string; to: string } {
  const [from, to] = key.split('->')
  return { from: from ?? '', to: to ?? '' }
}
