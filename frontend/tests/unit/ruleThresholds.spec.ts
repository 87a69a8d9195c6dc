import { describe, expect, it } from 'vitest'
import { EXPIRED_WIDTH, scaleMax, thresholdProblem, thresholdSegments } from '@/rules/thresholds'

const widths = (segments: { level: string; width: number }[]) => Object.fromEntries(segments.map((s) => [s.level, s.width]))
const sum = (segments: { width: number }[]) => segments.reduce((n, s) => n + s.width, 0)

describe('threshold bar', () => {
  it('shows the default shelf-life % levels as expired | red < 30 | yellow 30-60 | green > 60', () => {
    const segments = thresholdSegments('remaining_pct', { red: 30, yellow: 60 })
    expect(segments.map((s) => s.level)).toEqual(['expired', 'red', 'yellow', 'green'])
    expect(widths(segments)).toEqual({ expired: EXPIRED_WIDTH, red: 27, yellow: 27, green: 36 })
    expect(segments[1]).toMatchObject({ from: 0, to: 30 })
    expect(segments[2]).toMatchObject({ from: 30, to: 60 })
    expect(segments[3]).toMatchObject({ from: 60, to: null })
    expect(sum(segments)).toBeCloseTo(100)
  })

  it('moves the segments with the numbers', () => {
    const before = widths(thresholdSegments('remaining_pct', { red: 30, yellow: 60 }))
    const after = widths(thresholdSegments('remaining_pct', { red: 40, yellow: 70 }))
    expect(after.red).toBeGreaterThan(before.red)
    expect(after.green).toBeLessThan(before.green)
    expect(after.yellow).toBe(before.yellow)
  })

  it('sizes remaining days against a scale that keeps both thresholds in view', () => {
    expect(scaleMax('remaining_days', { red: 30, yellow: 90 })).toBe(135)
    const segments = thresholdSegments('remaining_days', { red: 30, yellow: 90 })
    expect(sum(segments)).toBeCloseTo(100)
    expect(widths(segments).green).toBeGreaterThan(0)
  })

  it('turns the bar round for predicted unsold, where more is worse', () => {
    const segments = thresholdSegments('predicted_unsold', { red: 100, yellow: 50 })
    expect(segments.map((s) => s.level)).toEqual(['expired', 'red', 'yellow', 'green'])
    expect(segments[1]).toMatchObject({ from: 100, to: null })
    expect(segments[2]).toMatchObject({ from: 50, to: 100 })
    expect(segments[3]).toMatchObject({ from: null, to: 50 })
    expect(sum(segments)).toBeCloseTo(100)
  })

  it('shows an unreachable yellow as an empty segment and says why', () => {
    const segments = thresholdSegments('remaining_pct', { red: 70, yellow: 40 })
    expect(widths(segments).yellow).toBe(0)
    expect(thresholdProblem('remaining_pct', { red: 70, yellow: 40 })).toBe('order')
    expect(thresholdProblem('predicted_unsold', { red: 10, yellow: 50 })).toBe('order')
  })

  it('reports missing and negative thresholds and accepts sound ones', () => {
    expect(thresholdProblem('remaining_pct', { red: 30 })).toBe('missing')
    expect(thresholdProblem('remaining_days', { red: -1, yellow: 5 })).toBe('negative')
    expect(thresholdProblem('remaining_pct', { red: 30, yellow: 60 })).toBeNull()
    expect(thresholdProblem('remaining_pct', { red: 30, yellow: 30 })).toBeNull()
  })

  it('keeps thresholds beyond 100 % inside the bar', () => {
    const segments = thresholdSegments('remaining_pct', { red: 30, yellow: 150 })
    expect(widths(segments).green).toBe(0)
    expect(sum(segments)).toBeCloseTo(100)
  })
})
