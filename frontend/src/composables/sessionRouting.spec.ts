import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { usersApi } from '@/api/admin'
import { onUnauthorized } from '@/api/http'
import { i18n } from '@/i18n'
import { useSessionStore } from '@/stores/session'
import { ADMIN, goOffline, serveApi } from '@/testing/fakeServer'
import { requireSession, returnToLoginOnExpiry, safeRedirect, type SessionPages } from './sessionRouting'

const PAGES: SessionPages = { login: 'login', home: '/apps' }
const page = { render: () => null }

function appRouter(): Router {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: page, meta: { public: true } },
      { path: '/', component: page },
      { path: '/apps', component: page },
      { path: '/records', component: page },
    ],
  })
  requireSession(router, PAGES)
  return router
}

const signedIn = () => serveApi({ 'GET /me': () => [200, ADMIN] })
const signedOut = () => serveApi({ 'GET /me': () => [401, { code: 'unauthorized', message: 'Sign in', errors: {} }] })

describe('pages that need a session', () => {
  let pinia: Pinia
  beforeEach(() => {
    pinia = createPinia()
    setActivePinia(pinia)
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    onUnauthorized(null)
  })

  // the login page remembers the page asked for, except the app's root
  it.each([
    ['/records', '/login?redirect=/records'],
    ['/', '/login'],
  ])('send a signed-out user who opens %s to %s', async (asked, opened) => {
    signedOut()
    const router = appRouter()
    await router.push(asked)
    expect(router.currentRoute.value.fullPath).toBe(opened)
  })

  it('treat an unreachable server as signed out', async () => {
    goOffline()
    const router = appRouter()
    await router.push('/records')
    expect(router.currentRoute.value.name).toBe('login')
  })

  it('open for a signed-in user, whose login page sends them on', async () => {
    signedIn()
    const router = appRouter()
    await router.push('/records')
    expect(router.currentRoute.value.fullPath).toBe('/records')
    await router.push('/login?redirect=/records')
    expect(router.currentRoute.value.fullPath).toBe('/records')
    await router.push('/login?redirect=//evil.example/')
    expect(router.currentRoute.value.fullPath).toBe('/apps')
  })

  it('return to the login page, once, when the session ends mid-use', async () => {
    serveApi({
      'GET /me': () => [200, ADMIN],
      'GET /users': () => [401, { code: 'unauthorized', message: 'Sign in', errors: {} }],
    })
    const router = appRouter()
    const warnings: string[] = []
    returnToLoginOnExpiry(router, pinia, PAGES.login, (message) => warnings.push(message))
    await router.push('/records')
    await Promise.all([usersApi.list({ page: 1, page_size: 20 }), usersApi.list({ page: 1, page_size: 20 })].map((p) => p.catch(() => undefined)))
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/login?redirect=/records'))
    expect(warnings).toEqual([i18n.global.t('auth.sessionExpired')])
    expect(useSessionStore().me).toBeNull()
  })
})

describe('the page to open after signing in', () => {
  it.each([
    ['/records/3', '/records/3'],
    [undefined, '/apps'],
    ['https://evil.example/', '/apps'],
    ['//evil.example/', '/apps'],
    [['/records'], '/apps'],
  ])('for %s is %s', (asked, opened) => {
    expect(safeRedirect(asked, '/apps')).toBe(opened)
  })
})
