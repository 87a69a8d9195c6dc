/**
 * End-to-end tests in Debian's Chromium against the real back end: tests/e2e/serve.py makes a
 * fresh database and serves the API plus the built front end (run `npm run build` first) on
 * 127.0.0.1:5055. Every test signs in to a tenant of its own (e2e/tenant.ts), so the tests run
 * two at a time, in any order, without seeing each other's data.
 */
import { defineConfig } from '@playwright/test'

const python = process.env.GS_PYTHON || '../.venv/bin/python'
// serve.py reads the same variable, so a second run can use another port.
const port = process.env.GS_E2E_PORT || '5055'
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  // one per core of the CI machine; the server and its worker share them
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'desktop',
      use: { viewport: { width: 1280, height: 800 } },
    },
    {
      name: 'phone',
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 },
    },
  ],
  webServer: {
    command: `${python} ../tests/e2e/serve.py`,
    url: `http://127.0.0.1:${port}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    // SIGTERM lets the server stop its worker and drop its PostgreSQL schema
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
    stdout: 'pipe',
    stderr: 'pipe',
  },
})
