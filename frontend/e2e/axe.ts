/**
 * axe-core in the browser tests: `expectAccessible` runs axe on what a page shows now and fails
 * on any violation a screen-reader or keyboard user would be stopped by (impact `serious` or
 * `critical`), naming each rule, its help text and the first elements it found. Every finding,
 * lesser ones (moderate, minor) included, is attached to the test's report. Nothing of ours is
 * left out: the one exemption below is for colours a library chose, each with its reason.
 */
import { writeFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import { expect, type Page, type TestInfo } from '@playwright/test'
import type { NodeResult, Result } from 'axe-core'

const FAILING_IMPACTS = new Set(['serious', 'critical'])
/** How many target selectors of one rule the failure message lists. */
const TARGETS_SHOWN = 3

/**
 * `color-contrast` findings whose text or background is one of these colours are not ours:
 * they are Element Plus's default status colours, which its success/warning/danger/info tags,
 * alerts and text buttons draw with and which our theme (src/assets/console.css, checked by
 * tests/unit/contrast.spec.ts) does not set. Our own colours are all checked. Once the theme
 * gives these statuses colours of its own, the exemption stops matching by itself.
 */
const NOT_OUR_COLOURS: Record<string, string> = {
  '#67c23a': "Element Plus's success green (2.1:1 on its light tag background)",
  '#e6a23c': "Element Plus's warning orange",
  '#f56c6c': "Element Plus's danger red (2.9:1 on white)",
  '#909399': "Element Plus's info grey (2.8:1 on its light tag background)",
}

export interface AxeFinding {
  id: string
  impact: string
  help: string
  targets: string[]
  count: number
  /** what axe saw on the first few elements (HTML and why it failed), for the report */
  examples: { html: string; why: string }[]
}

/** The colour a contrast finding is about, when it is a library's (see NOT_OUR_COLOURS). */
function libraryColour(node: NodeResult): string | undefined {
  const data = node.any.find((check) => check.id === 'color-contrast')?.data as { fgColor?: string; bgColor?: string } | undefined
  return [data?.fgColor, data?.bgColor].find((c) => c !== undefined && c.toLowerCase() in NOT_OUR_COLOURS)
}

function finding(result: Result, nodes: NodeResult[]): AxeFinding {
  return {
    id: result.id,
    impact: result.impact ?? 'unknown',
    help: result.help,
    targets: nodes.map((n) => n.target.map(String).join(' ')),
    count: nodes.length,
    examples: nodes.slice(0, TARGETS_SHOWN).map((n) => ({ html: n.html, why: n.failureSummary ?? '' })),
  }
}

/**
 * Runs axe on the page as it is now: every violation, whatever its impact (`findings`), and the
 * contrast findings left out because the colour is a library's (`exempted`).
 */
export async function axeFindings(page: Page): Promise<{ findings: AxeFinding[]; exempted: AxeFinding[] }> {
  const results = await new AxeBuilder({ page }).analyze()
  const findings: AxeFinding[] = []
  const exempted: AxeFinding[] = []
  for (const result of results.violations) {
    const theirs = result.id === 'color-contrast' ? result.nodes.filter((n) => libraryColour(n)) : []
    const ours = result.nodes.filter((n) => !theirs.includes(n))
    if (ours.length) findings.push(finding(result, ours))
    if (theirs.length) exempted.push(finding(result, theirs))
  }
  return { findings, exempted }
}

/** One line per rule: `rule-id (impact, N): help`, then its first targets. */
export function describeFindings(findings: AxeFinding[]): string {
  return findings
    .map((f) => {
      const shown = f.targets.slice(0, TARGETS_SHOWN).join(' | ')
      const more = f.count > TARGETS_SHOWN ? ` (+${f.count - TARGETS_SHOWN} more)` : ''
      return `  ${f.id} (${f.impact}, ${f.count}): ${f.help}\n      ${shown}${more}`
    })
    .join('\n')
}

/**
 * Fails (softly: the test goes on to the next page) when the page has a serious or critical
 * accessibility violation; `name` says which page in the message and in the report's
 * attachment of all findings.
 */
export async function expectAccessible(page: Page, info: TestInfo, name: string): Promise<void> {
  const { findings, exempted } = await axeFindings(page)
  if (findings.length || exempted.length) {
    const path = info.outputPath(`axe-${name}.json`)
    writeFileSync(path, JSON.stringify({ url: page.url(), findings, exempted }, null, 2))
    await info.attach(`axe-${name}`, { path, contentType: 'application/json' })
  }
  const failing = findings.filter((f) => FAILING_IMPACTS.has(f.impact))
  const rules = failing.map((f) => `${f.id} (${f.impact}, ${f.count})`)
  expect.soft(rules, `axe on ${name} (${page.url()}):\n${describeFindings(failing)}`).toEqual([])
}
