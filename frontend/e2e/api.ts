/** Test set-up through the API (sharing the page's cookies): apps, forms, records. */
import { expect, type APIRequestContext, type Page } from '@playwright/test'
import type { Credentials } from './console'

export interface Session {
  request: APIRequestContext
  csrf: string
}

/** Signs the page's browser context in through the API and returns the CSRF token for writes. */
export async function apiLogin(page: Page, user: Credentials): Promise<Session> {
  return requestLogin(page.request, user)
}

/**
 * Signs a request context in (a page's, or one of its own to read or set up as one person
 * while pages act as others); `tenant` for usernames several tenants share.
 */
export async function requestLogin(request: APIRequestContext, user: Credentials, tenant?: string): Promise<Session> {
  const response = await request.post('/api/v1/auth/login', { data: { username: user.username, password: user.password, tenant } })
  expect(response.ok(), `login ${user.username}: ${await response.text()}`).toBeTruthy()
  const me = (await response.json()) as { csrf_token?: string }
  const cookies = (await request.storageState()).cookies
  const csrf = cookies.find((c) => c.name === 'gs_csrf')?.value ?? me.csrf_token ?? ''
  return { request, csrf }
}

export async function read<T>(session: Session, path: string): Promise<T> {
  const response = await session.request.get(`/api/v1${path}`)
  expect(response.ok(), `GET ${path}: ${await response.text()}`).toBeTruthy()
  return (await response.json()) as T
}

export async function write<T>(session: Session, method: 'post' | 'patch', path: string, data: unknown): Promise<T> {
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

export async function post<T>(session: Session, path: string, data: unknown): Promise<T> {
  return write<T>(session, 'post', path, data)
}

/** The tenant's today (rules count days in the tenant's time zone), as a UTC midnight. */
export async function tenantToday(session: Session): Promise<Date> {
  const response = await session.request.get('/api/v1/me')
  expect(response.ok(), `GET /me: ${response.status()}`).toBeTruthy()
  const me = await response.json()
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: me.tenant?.timezone || 'UTC' }).format(new Date())
  return new Date(`${day}T00:00:00Z`)
}

/** A batch form with the fields a shelf-life rule and a chart of stock need. */
export const batchDraft = {
  fields: [
    { key: 'batch_no', type: 'text', label: { zh: '批号', en: 'Batch no.' }, required: true },
    {
      key: 'warehouse',
      type: 'select',
      label: { zh: '仓库', en: 'Warehouse' },
      options: [
        { value: 'east', label: { zh: '华东仓', en: 'East DC' } },
        { value: 'south', label: { zh: '华南仓', en: 'South DC' } },
      ],
    },
    {
      key: 'category',
      type: 'select',
      label: { zh: '品类', en: 'Category' },
      options: [
        { value: 'dairy', label: { zh: '乳品', en: 'Dairy' } },
        { value: 'snacks', label: { zh: '零食', en: 'Snacks' } },
      ],
    },
    { key: 'qty', type: 'integer', label: { zh: '数量', en: 'Quantity' } },
    { key: 'unit_cost', type: 'money', label: { zh: '单位成本', en: 'Unit cost' } },
    { key: 'produced', type: 'date', label: { zh: '生产日期', en: 'Production date' } },
    { key: 'shelf_days', type: 'integer', label: { zh: '保质期(天)', en: 'Shelf life (days)' } },
  ],
}
