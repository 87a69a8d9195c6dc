/**
 * Lighthouse over the console and the phone app of a running demo instance (`make lighthouse`
 * starts one as `make run` does): every page below, signed in as the administrator, console
 * pages with the desktop preset and /m pages with Lighthouse's phone emulation and throttling.
 * Prints a table (performance, accessibility, LCP, TBT, CLS) and exits 1 when a page is below
 * the bar: accessibility 95 everywhere, performance 90 on the console and 80 on /m, CLS 0.1.
 *
 *   GS_LIGHTHOUSE_URL=http://127.0.0.1:5090 GS_LIGHTHOUSE_PASSWORD=... node scripts/lighthouse.mjs
 */
import lighthouse from 'lighthouse'
import desktopConfig from 'lighthouse/core/config/desktop-config.js'
import * as chromeLauncher from 'chrome-launcher'

const BASE = process.env.GS_LIGHTHOUSE_URL || 'http://127.0.0.1:5090'
const USER = process.env.GS_LIGHTHOUSE_USER || 'admin'
const PASSWORD = process.env.GS_LIGHTHOUSE_PASSWORD || 'admin-pass-123'
const BAR = { accessibility: 95, console: 90, phone: 80, cls: 0.1 }

async function signIn() {
  const response = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: USER, password: PASSWORD }),
  })
  if (!response.ok) throw new Error(`sign-in as ${USER}: ${response.status} ${await response.text()}`)
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
}

async function read(cookie, path) {
  const response = await fetch(`${BASE}/api/v1${path}`, { headers: { Cookie: cookie } })
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`)
  return response.json()
}

/** The pages to measure: [name, path, signed in, phone]. */
async function pages(cookie) {
  const forms = (await read(cookie, '/forms')).items
  const batch = forms.find((f) => f.key === 'batch')
  const boards = (await read(cookie, '/dashboards')).items
  const cockpit = boards.find((b) => b.key === 'expiry_cockpit')
  const [record] = (await read(cookie, `/forms/${batch.id}/records?page_size=1`)).items
  const flows = (await read(cookie, '/flows')).items
  const disposal = flows.find((f) => f.key === 'disposal_approval') ?? flows[0]
  return [
    ['console sign-in', '/login', false, false],
    ['console apps', '/apps', true, false],
    ['console records', '/records', true, false],
    ['console batch list', `/records/${batch.id}`, true, false],
    ['console batch record', `/records/${batch.id}/${record.id}`, true, false],
    ['console alert board', '/alerts', true, false],
    ['console to-dos', '/todos', true, false],
    ['console approvals', '/flows/inbox', true, false],
    ['console cockpit', `/dashboards/${cockpit.id}`, true, false],
    ['console rules', '/rules', true, false],
    ['console audit log', '/admin/audit', true, false],
    ['console form designer', `/apps/forms/${batch.id}/design`, true, false],
    ['console flow designer', `/flows/${disposal.id}/design`, true, false],
    // the console at a phone's width: the pages whose layout moved there before
    ['console alert board (phone)', '/alerts', true, true],
    ['console form designer (phone)', `/apps/forms/${batch.id}/design`, true, true],
    ['console flow designer (phone)', `/flows/${disposal.id}/design`, true, true],
    ['/m sign-in', '/m/login', false, true],
    ['/m to-dos', '/m/todos', true, true],
    ['/m approvals', '/m/approvals', true, true],
    ['/m notifications', '/m/notifications', true, true],
    ['/m me', '/m/me', true, true],
    ['/m batch record', `/m/forms/${batch.id}/records/${record.id}`, true, true],
  ]
}

function row(name, lhr) {
  const audit = (id) => lhr.audits[id]?.numericValue ?? NaN
  return {
    name,
    performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility.score ?? 0) * 100),
    lcp: audit('largest-contentful-paint') / 1000,
    tbt: audit('total-blocking-time'),
    cls: audit('cumulative-layout-shift'),
  }
}

function print(rows) {
  const head = ['page', 'perf', 'a11y', 'LCP s', 'TBT ms', 'CLS']
  const lines = rows.map((r) => [r.name, r.performance, r.accessibility, r.lcp.toFixed(1), Math.round(r.tbt), r.cls.toFixed(3)].map(String))
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  for (const l of [head, ...lines]) console.log(l.map((c, i) => c.padEnd(widths[i])).join('  '))
}

const cookie = await signIn()
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
})
const rows = []
const failures = []
try {
  for (const [name, path, signedIn, phone] of await pages(cookie)) {
    const flags = {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      extraHeaders: signedIn ? { Cookie: cookie } : undefined,
    }
    const result = await lighthouse(`${BASE}${path}`, flags, phone ? undefined : desktopConfig)
    const r = row(name, result.lhr)
    rows.push(r)
    console.log(`${name}: performance ${r.performance}, accessibility ${r.accessibility}`)
    if (r.accessibility < BAR.accessibility) failures.push(`${name}: accessibility ${r.accessibility} < ${BAR.accessibility}`)
    const perfBar = phone ? BAR.phone : BAR.console
    if (r.performance < perfBar) failures.push(`${name}: performance ${r.performance} < ${perfBar}`)
    if (r.cls > BAR.cls) failures.push(`${name}: CLS ${r.cls.toFixed(3)} > ${BAR.cls}`)
  }
} finally {
  await chrome.kill()
}
console.log('')
print(rows)
if (failures.length) {
  console.log(`\nBelow the bar:\n${failures.join('\n')}`)
  process.exit(1)
}
console.log('\nEvery page meets the bar.')
