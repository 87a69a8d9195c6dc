/**
 * axe-core in the browser tests: `expectAccessible` runs axe on what a page shows now and fails
 * on any violation a screen-reader or keyboard user would be stopped by (impact `serious` or
 * `critical`), naming each rule, its help text and the first elements it found. Lesser findings
 * (moderate, minor) are attached to the test's report, not failed on. It must not hide a rule of
 * ours: the only exclusions are below, each with the reason it is not ours to fix.
 */
import { writeFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import { expect, type Page, type TestInfo } from '@playwright/test'
import type { Result } from 'axe-core'

const FAILING_IMPACTS = new Set(['serious', 'critical'])
/** How many target selectors of one rule the failure message lists. */
const TARGETS_SHOWN = 3

/**
 * Parts of a page axe does not look into, with why. Every entry is a third-party widget's
 * internals we cannot reach from our templates.
 */
const EXCLUDED_SELECTORS: { selector: string; reason: string }[] = []

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
  return {
    id: result.id,
    impact: result.impact ?? 'unknown',
    help: result.help,
    targets: result.nodes.map((n) => n.target.map(String).join(' ')),
    count: result.nodes.length,
    examples: result.nodes.slice(0, TARGETS_SHOWN).map((n) => ({ html: n.html, why: n.failureSummary ?? '' })),
  }
}

/** One line per rule: `rule-id (impact, N): help — first targets`. */
export function describeFindings(findings: AxeFinding[]): string {
  return findings
    .map((f) => {
      const shown = f.targets.slice(0, TARGETS_SHOWN).join(' | ')
      const more = f.count > TARGETS_SHOWN ? ` (+${f.count - TARGETS_SHOWN} more)` : ''
      return `  ${f.id} (${f.impact}, ${f.count}): ${f.help}\n      ${shown}${more}`
    })
    .join('\n')
}

/** Runs axe on the page as it is now; returns every violation, whatever its impact. */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  let builder = new AxeBuilder({ page })
  for (const { selector } of EXCLUDED_SELECTORS) builder = builder.exclude(selector)
  const results = await builder.analyze()
  return results.violations.map(finding)
}

/**
 * Fails when the page has a serious or critical accessibility violation; `name` says which page
 * in the message and in the report's attachment of all findings.
 */
export async function expectAccessible(page: Page, info: TestInfo, name: string): Promise<void> {
  const findings = await axeFindings(page)
  if (findings.length) {
    const path = info.outputPath(`axe-${name}.json`)
    writeFileSync(path, JSON.stringify(findings, null, 2))
    await info.attach(`axe-${name}`, { path, contentType: 'application/json' })
  }
  const failing = findings.filter((f) => FAILING_IMPACTS.has(f.impact))
  const rules = failing.map((f) => `${f.id} (${f.impact}, ${f.count})`)
  expect.soft(rules, `axe on ${name} (${page.url()}):\n${describeFindings(failing)}`).toEqual([])
}
