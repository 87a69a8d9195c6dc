/**
 * axe-core in the browser tests: `expectAccessible` runs axe on what a page shows now and fails
 * on any violation a screen-reader or keyboard user would be stopped by (impact `serious` or
 * `critical`), naming each rule, its help text and the first elements it found. Every finding,
 * lesser ones (moderate, minor) included, is attached to the test's report. Nothing is left
 * out: Element Plus's colours are the theme's (src/assets/console.css), checked like our own.
 */
import { writeFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import { expect, type Page, type TestInfo } from '@playwright/test'
import type { Result } from 'axe-core'

const FAILING_IMPACTS = new Set(['serious', 'critical'])
/** How many target selectors of one rule the failure message lists. */
const TARGETS_SHOWN = 3

export interface AxeFinding {
  id: string
  impact: string
  help: string
  targets: string[]
  count: number
  /** what axe saw on the first few elements (HTML and why it failed), for the report */
  examples: { html: string; why: string }[]
}

function finding(result: Result): AxeFinding {
  const nodes = result.nodes
  return {
    id: result.id,
    impact: result.impact ?? 'unknown',
    help: result.help,
    targets: nodes.map((n) => n.target.map(String).join(' ')),
    count: nodes.length,
    examples: nodes.slice(0, TARGETS_SHOWN).map((n) => ({ html: n.html, why: n.failureSummary ?? '' })),
  }
}

/** Runs axe on the page as it is now: every violation, whatever its impact. */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations.map(finding)
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
  const findings = await axeFindings(page)
  if (findings.length) {
    const path = info.outputPath(`axe-${name}.json`)
    writeFileSync(path, JSON.stringify({ url: page.url(), findings }, null, 2))
    await info.attach(`axe-${name}`, { path, contentType: 'application/json' })
  }
  const failing = findings.filter((f) => FAILING_IMPACTS.has(f.impact))
  const rules = failing.map((f) => `${f.id} (${f.impact}, ${f.count})`)
  expect.soft(rules, `axe on ${name} (${page.url()}):\n${describeFindings(failing)}`).toEqual([])
}
