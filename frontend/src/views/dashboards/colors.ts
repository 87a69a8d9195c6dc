/**
 * Colours of charts. Warning levels always take the alert board's colours (one rule,
 * held in src/rules/levels.ts); everything else takes the palette, which leaves out the
 * level colours so that a green bar never reads as "green level".
 */
import type { Level } from '@/api/ruleTypes'
import { LEVEL_COLORS, LEVEL_ORDER } from '@/rules/levels'

export const PALETTE = ['#3b7dd8', '#1f9fb4', '#8e5bd6', '#e5793b', '#5c6b7a', '#c45ca2', '#7a9a2b', '#b08d57']

/** Mildest first: the order level series and slices are drawn in. */
export const LEVELS_MILDEST_FIRST: Level[] = [...LEVEL_ORDER.filter((l) => l !== 'unknown').reverse(), 'unknown']

/** A result value of a level dimension as a Level ("unknown" for none or anything else). */
export function asLevel(value: unknown): Level {
  const text = typeof value === 'string' ? value.toLowerCase() : ''
  return (LEVEL_ORDER as string[]).includes(text) ? (text as Level) : 'unknown'
}

export function levelColor(value: unknown): string {
  return LEVEL_COLORS[asLevel(value)]
}

export function paletteColor(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length]
}
