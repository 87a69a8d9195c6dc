/**
 * The dashboard grid without Vue: 12 columns, items placed by (x, y, w, h) in cells, kept
 * from overlapping and pulled up to close gaps (vertical compaction). Dragging pins the
 * dragged item where the pointer is and lets the others flow around it.
 */
import type { LayoutItem } from './types'

export const COLUMNS = 12
export const MIN_W = 2
export const MIN_H = 2
export const MAX_H = 16
export const DEFAULT_SIZE = { w: 6, h: 4 }

type Box = Pick<LayoutItem, 'x' | 'y' | 'w' | 'h'>

export function collides(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n))

/** An item kept inside the grid: at least the minimum size, never past the last column. */
export function fit(item: LayoutItem): LayoutItem {
  const w = clamp(Math.round(item.w) || DEFAULT_SIZE.w, MIN_W, COLUMNS)
  return {
    ...item,
    w,
    h: clamp(Math.round(item.h) || DEFAULT_SIZE.h, MIN_H, MAX_H),
    x: clamp(Math.round(item.x) || 0, 0, COLUMNS - w),
    y: Math.max(0, Math.round(item.y) || 0),
  }
}

/** Reading order: top to bottom, then left to right (also the order charts stack on a phone). */
export function readingOrder(layout: LayoutItem[]): LayoutItem[] {
  return [...layout].sort((a, b) => a.y - b.y || a.x - b.x || a.chart_id - b.chart_id)
}

/**
 * Every item as high as it can go without overlapping the ones placed before it. A pinned
 * item keeps its place and is placed first, so the others move around it.
 */
export function compact(layout: LayoutItem[], pinnedId: number | null = null): LayoutItem[] {
  const placed: LayoutItem[] = []
  const pinned = layout.find((i) => i.chart_id === pinnedId)
  if (pinned) placed.push(fit(pinned))
  for (const raw of readingOrder(layout)) {
    if (raw.chart_id === pinnedId) continue
    const item = fit(raw)
    let y = 0
    while (placed.some((p) => collides(p, { ...item, y }))) y++
    placed.push({ ...item, y })
  }
  const order = new Map(layout.map((item, i) => [item.chart_id, i]))
  return placed.sort((a, b) => (order.get(a.chart_id) ?? 0) - (order.get(b.chart_id) ?? 0))
}

/** The others flow around the changed item; once dropped, everything settles (the item may rise too). */
function update(layout: LayoutItem[], chartId: number, change: Partial<Box>, done: boolean): LayoutItem[] {
  const next = layout.map((item) => (item.chart_id === chartId ? fit({ ...item, ...change }) : item))
  const around = compact(next, chartId)
  return done ? compact(around) : around
}

/** The layout while an item is dragged to (x, y); `done` lets it settle when it is dropped. */
export function moveTo(layout: LayoutItem[], chartId: number, x: number, y: number, done = false): LayoutItem[] {
  return update(layout, chartId, { x, y }, done)
}

/** The layout while an item is resized to w × h cells. */
export function resizeTo(layout: LayoutItem[], chartId: number, w: number, h: number, done = false): LayoutItem[] {
  const item = layout.find((i) => i.chart_id === chartId)
  return update(layout, chartId, { w: Math.min(w, COLUMNS - (item?.x ?? 0)), h }, done)
}

/** Adds a chart in the first free place from the top left (a chart already there is left as it is). */
export function addChart(layout: LayoutItem[], chartId: number, size = DEFAULT_SIZE): LayoutItem[] {
  if (layout.some((i) => i.chart_id === chartId)) return layout
  for (let y = 0; ; y++) {
    for (let x = 0; x + size.w <= COLUMNS; x++) {
      const candidate = { chart_id: chartId, x, y, ...size }
      if (!layout.some((i) => collides(i, candidate))) return [...layout, candidate]
    }
  }
}

export function removeChart(layout: LayoutItem[], chartId: number): LayoutItem[] {
  return compact(layout.filter((i) => i.chart_id !== chartId))
}

/** Rows the grid needs to hold every item. */
export function rowsUsed(layout: LayoutItem[]): number {
  return layout.reduce((max, i) => Math.max(max, i.y + i.h), 0)
}

/** Pixel movement turned into whole cells, given one column's and one row's step in pixels. */
export function cellsMoved(dx: number, dy: number, colStep: number, rowStep: number): { dx: number; dy: number } {
  return { dx: colStep > 0 ? Math.round(dx / colStep) : 0, dy: rowStep > 0 ? Math.round(dy / rowStep) : 0 }
}
