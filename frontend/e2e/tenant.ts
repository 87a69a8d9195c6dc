/**
 * Every test's own tenant: the `admin` fixture asks the test server (tests/e2e/serve.py) for a
 * fresh tenant and its administrator, so tests running side by side, or one after another in
 * a worker, never see each other's messages, to-dos, tasks, records or keys. Specs import
 * `test` and `expect` from here instead of from '@playwright/test'.
 */
import { test as base, expect } from '@playwright/test'

export interface Admin {
  tenant: string
  username: string
  password: string
}

export const test = base.extend<{ admin: Admin }>({
  admin: async ({ baseURL }, use) => {
    const response = await fetch(`${baseURL}/e2e/tenants`, { method: 'POST' })
    expect(response.status, `POST /e2e/tenants: ${await response.clone().text()}`).toBe(201)
    await use((await response.json()) as Admin)
  },
})

export { expect }
