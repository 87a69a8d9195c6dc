import { expect, it } from 'vitest'
import { LEVEL_COLORS } from '@/rules/levels'
import { LEVELS_MILDEST_FIRST, PALETTE, asLevel, levelColor } from './colors'

it('gives levels the alert board colours, whatever the case, and unknown for anything else', () => {
  expect(['green', 'yellow', 'RED', 'expired'].map(levelColor)).toEqual([LEVEL_COLORS.green, LEVEL_COLORS.yellow, LEVEL_COLORS.red, LEVEL_COLORS.expired])
  expect(asLevel(null)).toBe('unknown')
  expect(levelColor('purple')).toBe(LEVEL_COLORS.unknown)
})

it('orders levels mildest first', () => {
  expect(LEVELS_MILDEST_FIRST).toEqual(['green', 'yellow', 'red', 'expired', 'unknown'])
})

it('keeps the level colours out of the general palette', () => {
  const levelColors = Object.values(LEVEL_COLORS).map((c) => c.toLowerCase())
  expect(PALETTE.filter((c) => levelColors.includes(c.toLowerCase()))).toEqual([])
})
