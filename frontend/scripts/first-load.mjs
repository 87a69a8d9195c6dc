/**
 * What a browser downloads before the first render of each app: the entry script, the
 * chunks it preloads and the style sheets of index.html, sized as gzip level 6 would send
 * them. Fails (exit 1) when an app is over its budget. Run after `npm run build`.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const DIST = new URL('../dist/', import.meta.url).pathname
/** First-load budgets in KB (gzip level 6). */
const BUDGETS = { console: { page: 'index.html', js: 250 }, mobile: { page: 'm/index.html', js: 180 } }

function assetsOf(page) {
  const html = readFileSync(join(DIST, page), 'utf8')
  const urls = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1])
  return [...new Set(urls)]
}

function gzipKB(url) {
  return gzipSync(readFileSync(join(DIST, url)), { level: 6 }).length / 1024
}

let failed = false
console.log('app       first-load JS (gzip)   budget   CSS (gzip)')
for (const [app, { page, js: budget }] of Object.entries(BUDGETS)) {
  const urls = assetsOf(page)
  const js = urls.filter((u) => u.endsWith('.js')).reduce((sum, u) => sum + gzipKB(u), 0)
  const css = urls.filter((u) => u.endsWith('.css')).reduce((sum, u) => sum + gzipKB(u), 0)
  const over = js > budget
  failed ||= over
  console.log(`${app.padEnd(9)} ${js.toFixed(1).padStart(8)} KB${over ? ' OVER' : '     '}          ${String(budget).padStart(4)} KB ${css.toFixed(1).padStart(8)} KB`)
}
process.exit(failed ? 1 : 0)
