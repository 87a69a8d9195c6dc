/**
 * The theme's text colours against the surfaces they are used on: WCAG AA asks 4.5:1 for
 * text (and 3:1 for large text and controls, which these pairs exceed as well).
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LEVEL_INK } from '@/rules/levels'

function themeOf(file: string): Record<string, string> {
  const css = readFileSync(fileURLToPath(new URL(`../../src/assets/${file}`, import.meta.url)), 'utf8')
  const root = css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {')))
  return Object.fromEntries([...root.matchAll(/(--[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((m) => [m[1], m[2]]))
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (light + 0.05) / (dark + 0.05)
}

const WHITE = '#ffffff'

describe('theme contrast', () => {
  it('measures as WCAG does', () => {
    expect(contrast('#000000', WHITE)).toBeCloseTo(21, 5)
    expect(contrast('#2e8b57', WHITE)).toBeLessThan(4.5) // the old brand green
  })

  const console = themeOf('console.css')
  const consolePairs: [string, string, string][] = [
    ['links and plain buttons', console['--el-color-primary'], WHITE],
    ['links on the page background', console['--el-color-primary'], console['--gs-page-bg']],
    ['selected menu and plain button text', console['--el-color-primary'], console['--el-color-primary-light-9']],
    ['button text on the brand colour', WHITE, console['--el-color-primary']],
    ['button text on the pressed brand colour', WHITE, console['--el-color-primary-dark-2']],
    ['secondary text', console['--el-text-color-secondary'], WHITE],
    ['secondary text on the page background', console['--el-text-color-secondary'], console['--gs-page-bg']],
    ['placeholders', console['--el-text-color-placeholder'], WHITE],
    ['the sidebar', console['--gs-sidebar-text'], console['--gs-sidebar-bg']],
    ...(['success', 'warning', 'danger', 'info'] as const).flatMap((status): [string, string, string][] => [
      [`${status} text and link buttons`, console[`--el-color-${status}`], WHITE],
      [`${status} tags, alerts and plain buttons (text on the light tint)`, console[`--el-color-${status}`], console[`--el-color-${status}-light-9`]],
      [`button text on the ${status} colour`, WHITE, console[`--el-color-${status}`]],
    ]),
  ]
  const mobile = themeOf('mobile.css')
  const mobilePairs: [string, string, string][] = [
    ['links and buttons', mobile['--van-primary-color'], WHITE],
    ['button text on the brand colour', WHITE, mobile['--van-primary-color']],
    ['the active tab', mobile['--van-tabbar-item-active-color'], WHITE],
    ['secondary text', mobile['--van-text-color-2'], WHITE],
    ['secondary text on the page background', mobile['--van-text-color-2'], mobile['--gs-page-bg']],
    ['hints and placeholders', mobile['--van-text-color-3'], WHITE],
    ['danger buttons: white on red, red on white', WHITE, mobile['--van-danger-color']],
  ]

  it.each([...consolePairs.map((p) => ['console', ...p]), ...mobilePairs.map((p) => ['mobile', ...p])])(
    '%s: %s reads at 4.5:1 or better',
    (_app, _what, text, surface) => {
      expect(text, 'a theme variable is missing').toMatch(/^#[0-9a-fA-F]{6}$/)
      expect(surface, 'a theme variable is missing').toMatch(/^#[0-9a-fA-F]{6}$/)
      expect(contrast(text, surface)).toBeGreaterThanOrEqual(4.5)
    },
  )

  it.each(Object.entries(LEVEL_INK))('the %s level\'s ink reads on white, and white reads on it', (_level, ink) => {
    expect(contrast(ink, WHITE)).toBeGreaterThanOrEqual(4.5)
  })
})
