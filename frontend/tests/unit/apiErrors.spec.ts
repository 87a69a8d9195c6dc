import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, fieldErrorMessages, flattenFieldErrors, parseErrorBody } from '@/api/errors'
import { http, onUnauthorized, readCookie, setCsrfToken } from '@/api/http'

function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

describe('error body -> field errors', () => {
  it('keeps the code, the message and the flat field paths of a contract error', () => {
    const body = parseErrorBody(
      422,
      {
        code: 'validation_error',
        message: 'Some fields are invalid',
        errors: { username: ['Already taken'], 'contact.email': ['Not an email', 'Too long'] },
      },
      'fallback',
    )
    expect(body.code).toBe('validation_error')
    expect(body.message).toBe('Some fields are invalid')
    expect(fieldErrorMessages(body.errors)).toEqual({
      username: 'Already taken',
      'contact.email': 'Not an email Too long',
    })
  })

  it('joins nested error objects into dotted field paths', () => {
    expect(flattenFieldErrors({ items: { '0': { qty: ['Must be positive'] } }, name: 'Required' })).toEqual({
      'items.0.qty': ['Must be positive'],
      name: ['Required'],
    })
  })

  it('falls back to a readable message when the body is not the contract shape', () => {
    expect(parseErrorBody(502, '<html>Bad gateway</html>', 'Cannot reach the server')).toEqual({
      code: 'http_502',
      message: 'Cannot reach the server',
      errors: {},
    })
    expect(parseErrorBody(400, { code: 'bad' }, 'Request failed').message).toBe('Request failed')
  })
})

describe('http client', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    onUnauthorized(null)
    setCsrfToken(null)
  })

  it('throws an ApiError whose field errors a form can show', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        jsonResponse(400, { code: 'validation_error', message: 'Invalid', errors: { password: ['Too short'] } }),
      ),
    )
    const error = await http.post('/users', { username: 'a' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(400)
    expect(fieldErrorMessages((error as ApiError).fieldErrors)).toEqual({ password: 'Too short' })
  })

  it('sends the CSRF token on writes but not on reads', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(200, { items: [] }))
    vi.stubGlobal('fetch', fetchMock)
    setCsrfToken('tok-123')
    await http.get('/roles')
    await http.patch('/roles/1', { name: 'x' })
    const calls = fetchMock.mock.calls as unknown as [string, RequestInit][]
    const [getUrl, getInit] = calls[0]
    const [patchUrl, patchInit] = calls[1]
    expect(getUrl).toBe('/api/v1/roles')
    expect((getInit.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined()
    expect(patchUrl).toBe('/api/v1/roles/1')
    expect((patchInit.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-123')
    expect(patchInit.body).toBe('{"name":"x"}')
  })

  it('leaves empty query values out of the URL', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(200, { items: [], total: 0, page: 1, page_size: 20 }))
    vi.stubGlobal('fetch', fetchMock)
    await http.get('/users', { page: 2, page_size: 20, q: '' })
    expect((fetchMock.mock.calls as unknown as [string][])[0][0]).toBe('/api/v1/users?page=2&page_size=20')
  })

  it('reports a 401 to the session handler unless the caller handles it', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(401, { code: 'unauthorized', message: 'Sign in' })))
    const handler = vi.fn()
    onUnauthorized(handler)
    await http.get('/users').catch(() => undefined)
    expect(handler).toHaveBeenCalledTimes(1)
    await http.post('/auth/login', {}, { allowUnauthorized: true }).catch(() => undefined)
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('turns a network failure into an ApiError with status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    const error = (await http.get('/me').catch((e: unknown) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(0)
    expect(error.code).toBe('network_error')
  })

  it('accepts a 204 with no body', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })))
    await expect(http.delete('/users/3')).resolves.toBeNull()
  })
})

describe('readCookie', () => {
  it('finds the CSRF cookie among others', () => {
    expect(readCookie('gs_csrf', 'session=abc; gs_csrf=x%3Dy; other=1')).toBe('x=y')
    expect(readCookie('gs_csrf', 'session=abc')).toBeNull()
  })
})
