/**
 * The one place the browser talks to /api/v1: JSON in and out, the CSRF header on every
 * non-GET request, ApiError for every failure, and a hook for "session ended" (401).
 */
import { ApiError, parseErrorBody } from './errors'
import { i18n } from '@/i18n'

export const API_BASE = '/api/v1'
const CSRF_COOKIE = 'gs_csrf'

type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** Leave 401 to the caller instead of sending the user to the login page. */
  allowUnauthorized?: boolean
  /** Error statuses whose body is still the answer (e.g. 503 from a degraded health check). */
  acceptStatuses?: number[]
}

let csrfToken: string | null = null
let unauthorizedHandler: (() => void) | null = null

export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null
}

export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler
}

/** The message when the server sends no readable error body (network down, proxy page). */
function fallbackMessage(): string {
  return i18n.global.t('errors.network')
}

export function readCookie(name: string, cookies?: string): string | null {
  const source = cookies ?? (typeof document === 'undefined' ? '' : document.cookie)
  for (const part of source.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return null
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const qs = params.toString()
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  // the server answers error messages in the UI's language
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': String(i18n.global.locale.value) }
  const multipart = typeof FormData !== 'undefined' && options.body instanceof FormData
  if (options.body !== undefined && !multipart) headers['Content-Type'] = 'application/json'
  if (method !== 'GET') {
    const token = readCookie(CSRF_COOKIE) ?? csrfToken
    if (token) headers['X-CSRF-Token'] = token
  }
  let response: Response
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : multipart ? (options.body as FormData) : JSON.stringify(options.body),
    })
  } catch {
    throw new ApiError(0, parseErrorBody(0, null, fallbackMessage()))
  }
  const data = await readJson(response)
  if (!response.ok && !options.acceptStatuses?.includes(response.status)) {
    const error = new ApiError(response.status, parseErrorBody(response.status, data, fallbackMessage()), data)
    if (response.status === 401 && !options.allowUnauthorized) unauthorizedHandler?.()
    throw error
  }
  return data as T
}

export interface Download {
  blob: Blob
  filename: string | null
}

/** The file name a Content-Disposition header gives (RFC 5987 `filename*` first). */
export function dispositionFilename(header: string | null): string | null {
  if (!header) return null
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''))
    } catch {
      // fall back to the plain parameter
    }
  }
  const plain = /filename\s*=\s*("?)([^";]+)\1/.exec(header)
  return plain ? plain[2].trim() : null
}

/** GET a file (export, template, error workbook) as a Blob; failures are ApiErrors as usual. */
export async function download(path: string, query?: Query): Promise<Download> {
  let response: Response
  try {
    response = await fetch(buildUrl(path, query), { credentials: 'same-origin', headers: { 'Accept-Language': String(i18n.global.locale.value) } })
  } catch {
    throw new ApiError(0, parseErrorBody(0, null, fallbackMessage()))
  }
  if (!response.ok) {
    const data = await readJson(response)
    if (response.status === 401) unauthorizedHandler?.()
    throw new ApiError(response.status, parseErrorBody(response.status, data, fallbackMessage()), data)
  }
  return { blob: await response.blob(), filename: dispositionFilename(response.headers.get('Content-Disposition')) }
}

export const http = {
  get: <T>(path: string, query?: Query, options: RequestOptions = {}) =>
    request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options: RequestOptions = {}) =>
    request<T>('POST', path, { ...options, body: body ?? {} }),
  /** multipart/form-data (file uploads); the browser sets the boundary. */
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { body: form }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
}
