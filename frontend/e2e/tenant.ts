/**
 * Every test's own tenant: the `admin` fixture asks the test server (tests/e2e/serve.py) for a
 * fresh tenant and its administrator, so tests running side by side, or one after another in
 * a worker, never see each other's messages, to-dos, tasks, records or keys. The `demoAdmin`
 * fixture's tenant also has the demo organisation's people (app/auth/demo_org.py): every such
 * tenant has the same usernames, so they sign in with the tenant's slug. Specs import `test`
 * and `expect` from here instead of from '@playwright/test'.
 */
import { test as base, expect } from '@playwright/test'

export interface Admin {
  tenant: string
  username: string
  password: string
  /** the demo people's password, in a tenant made with them */
  demo_password?: string
}

async function newTenant(baseURL: string | undefined, options: { demo_org?: boolean } = {}): Promise<Admin> {
  const response = await fetch(`${baseURL}/e2e/tenants`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(options),
  })
  expect(response.status, `POST /e2e/tenants: ${await response.clone().text()}`).toBe(201)
  return (await response.json()) as Admin
}

export const test = base.extend<{ admin: Admin; demoAdmin: Admin }>({
  admin: async ({ baseURL }, use) => {
    await use(await newTenant(baseURL))
  },
  demoAdmin: async ({ baseURL }, use) => {
    await use(await newTenant(baseURL, { demo_org: true }))
  },
})

export { expect }
