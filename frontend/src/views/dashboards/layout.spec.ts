import { describe, expect, it } from 'vitest'
import { addChart, cellsMoved, collides, compact, COLUMNS, moveTo, readingOrder, removeChart, resizeTo } from './layout'
import type { LayoutItem } from './types'

const item = (chart_id: number, x: number, y: number, w = 6, h = 4): LayoutItem => ({ chart_id, x, y, w, h })

function overlaps(layout: LayoutItem[]): boolean {
  return layout.some((a, i) => layout.some((b, j) => i < j && collides(a, b)))
}

describe('the dashboard grid', () => {
  it('pulls items up to close gaps', () => {
    expect(compact([item(1, 0, 5), item(2, 6, 9)])).toEqual([item(1, 0, 0), item(2, 6, 0)])
  })

  it('keeps items inside the 12 columns', () => {
    const [fitted] = compact([item(1, 10, 0, 6, 1)])
    expect(fitted.x + fitted.w).toBeLessThanOrEqual(COLUMNS)
    expect(fitted.h).toBe(2)
  })

  it('moves the others out of the way of a dragged item, then settles without overlaps', () => {
    const start = [item(1, 0, 0), item(2, 6, 0), item(3, 0, 4)]
    const dragging = moveTo(start, 3, 6, 0)
    expect(dragging.find((i) => i.chart_id === 3)).toMatchObject({ x: 6, y: 0 })
    expect(overlaps(dragging)).toBe(false)
    const dropped = moveTo(start, 3, 6, 0, true)
    expect(overlaps(dropped)).toBe(false)
    expect(dropped.find((i) => i.chart_id === 2)!.y).toBe(4)
  })

  it('resizes within the grid and pushes what it now covers', () => {
    const resized = resizeTo([item(1, 0, 0), item(2, 6, 0)], 1, 20, 6, true)
    expect(resized.find((i) => i.chart_id === 1)).toMatchObject({ w: 12, h: 6 })
    expect(resized.find((i) => i.chart_id === 2)).toMatchObject({ y: 6 })
  })

  it('places a new chart in the first free spot and removes one closing the gap', () => {
    const withNew = addChart([item(1, 0, 0)], 2)
    expect(withNew[1]).toMatchObject({ chart_id: 2, x: 6, y: 0 })
    expect(addChart(withNew, 2)).toBe(withNew)
    expect(removeChart([item(1, 0, 0, 12), item(2, 0, 4)], 1)).toEqual([item(2, 0, 0)])
  })

  it('reads top to bottom then left to right (the phone order)', () => {
    expect(readingOrder([item(1, 6, 4), item(2, 6, 0), item(3, 0, 0)]).map((i) => i.chart_id)).toEqual([3, 2, 1])
  })

  it('turns pointer pixels into whole cells', () => {
    expect(cellsMoved(130, -50, 100, 84)).toEqual({ dx: 1, dy: -1 })
  })
})
