/**
 * A stand-in for the GreenShelf API in unit tests: answers `fetch` calls to /api/v1 from a
 * table of "METHOD /path" handlers (404 for anything else) and records the requests made.
 * Undo with `vi.unstubAllGlobals()`.
 */
import { vi } from 'vitest'
import type { Me } from '@/api/types'

export type Answer = [status: number, body: unknown]
export type Handler = (body: unknown) => Answer | Promise<Answer>

export interface Request {
  method: string
  path: string
  body: unknown
}

export function serveApi(handlers: Record<string, Handler>): Request[] {
  const requests: Request[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET'
      const path = url.replace(/^\/api\/v1/, '').split('?')[0]
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined
      requests.push({ method, path, body })
      const handler = handlers[`${method} ${path}`]
      const [status, answer] = handler ? await handler(body) : [404, { code: 'not_found', message: 'Not found', errors: {} }]
      return new Response(JSON.stringify(answer), { status, headers: { 'Content-Type': 'application/json' } })
    }),
  )
  return requests
}

/** The network is down: every request fails before it reaches a server. */
export function goOffline(): void {
  vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
}

/** GET /me of the tenant's administrator. */
export const ADMIN: Me = {
  id: 1,
  username: 'admin',
  display_name: 'Admin',
  email: null,
  locale: null,
  is_admin: true,
  permissions: ['*'],
  roles: [],
  department_id: null,
  tenant: { id: 1, slug: 'default', name: 'Default', timezone: 'Asia/Shanghai' },
}
