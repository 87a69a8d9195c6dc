/** Test set-up through the API (sharing the page's cookies): apps, forms, records. */
import { expect, type APIRequestContext, type Page } from '@playwright/test'
import type { Credentials } from './console'

export interface Session {
  request: APIRequestContext
  csrf: string
}

/** Signs the page's browser context in through the API and returns the CSRF token for writes. */
export async function apiLogin(page: Page, user: Credentials): Promise<Session> {
  const response = await page.request.post('/api/v1/auth/login', { data: { username: user.username, password: user.password } })
  expect(response.ok()).toBeTruthy()
  const me = (await response.json()) as { csrf_token?: string }
  const cookies = await page.context().cookies()
  const csrf = cookies.find((c) => c.name === 'gs_csrf')?.value ?? me.csrf_token ?? ''
  return { request: page.request, csrf }
}

async function write<T>(session: Session, method: 'post' | 'patch', path: string, data: unknown): Promise<T> {
  const response = await session.request[method](`/api/v1${path}`, { data, headers: { 'X-CSRF-Token': session.csrf } })
  expect(response.ok(), `${method.toUpperCase()} ${path}: ${await response.text()}`).toBeTruthy()
  return (await response.json()) as T
}

/** A new app with one published form of the given fields; returns the form's id. */
export async function publishedForm(session: Session, key: string, label: { zh: string; en: string }, draft: unknown): Promise<number> {
  const app = await write<{ id: number }>(session, 'post', '/apps', { key: `app_${key}`, label })
  const form = await write<{ id: number }>(session, 'post', `/apps/${app.id}/forms`, { key, label, draft })
  await write(session, 'post', `/forms/${form.id}/publish`, {})
  return form.id
}

export async function createRecord(session: Session, formId: number, values: Record<string, unknown>): Promise<{ id: number }> {
  return write(session, 'post', `/forms/${formId}/records`, values)
}

/** True when the server answers this path (the feature exists); a 404 means not yet. */
export async function endpointExists(session: Session, path: string): Promise<boolean> {
  const response = await session.request.get(`/api/v1${path}`)
  return response.status() !== 404
}
