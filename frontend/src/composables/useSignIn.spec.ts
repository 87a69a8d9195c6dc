import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import { ADMIN, goOffline, serveApi } from '@/testing/fakeServer'
import { runInComponent, unmountAll } from '@/testing/headlessComponent'
import { useSignIn } from './useSignIn'

const page = { render: () => null }

/** The login page, opened with `?redirect=` as a guarded page would send the user there. */
async function loginPage(redirect?: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: page },
      { path: '/apps', component: page },
      { path: '/records', component: page },
    ],
  })
  await router.push(redirect ? { name: 'login', query: { redirect } } : { name: 'login' })
  return { router, login: runInComponent(() => useSignIn('/apps'), [createPinia(), i18n, router]) }
}

const tenantRequired = [400, { code: 'tenant_required', message: 'Which company?', errors: {} }] as const

describe('signing in', () => {
  afterEach(() => {
    unmountAll()
    vi.unstubAllGlobals()
  })

  it('opens the page the user was going to', async () => {
    const requests = serveApi({ 'POST /auth/login': () => [200, ADMIN] })
    const p = await loginPage('/records')
    Object.assign(p.login.form, { username: ' admin ', password: 'admin-pass-123', tenant: 'ignored' })
    await p.login.signIn()
    expect(requests[0].body).toEqual({ username: 'admin', password: 'admin-pass-123' })
    expect(p.router.currentRoute.value.fullPath).toBe('/records')
    expect(p.login.failure.value).toBe('')
  })

  it('opens the home page when no page of the app was asked for', async () => {
    serveApi({ 'POST /auth/login': () => [200, ADMIN] })
    const p = await loginPage('https://evil.example/')
    await p.login.signIn()
    expect(p.router.currentRoute.value.fullPath).toBe('/apps')
  })

  it('asks for the company when the user name is not unique, and sends it next time', async () => {
    const requests = serveApi({
      'POST /auth/login': (body) => ((body as { tenant?: string }).tenant ? [200, ADMIN] : [...tenantRequired]),
    })
    const p = await loginPage()
    Object.assign(p.login.form, { username: 'admin', password: 'admin-pass-123' })
    await p.login.signIn()
    expect(p.login.showTenant.value).toBe(true)
    expect(p.login.errors.tenant).toBe(i18n.global.t('auth.tenantRequired'))
    expect(p.login.failure.value).toBe('Which company?')
    expect(p.router.currentRoute.value.name).toBe('login')

    p.login.form.tenant = ' default '
    await p.login.signIn()
    expect(requests[1].body).toEqual({ username: 'admin', password: 'admin-pass-123', tenant: 'default' })
    expect(p.login.errors).toEqual({})
    expect(p.router.currentRoute.value.fullPath).toBe('/apps')
  })

  it('shows the wrong password beside its field and stays on the login page', async () => {
    serveApi({
      'POST /auth/login': () => [401, { code: 'invalid_credentials', message: 'Wrong name or password', errors: { password: ['Wrong password'] } }],
    })
    const p = await loginPage()
    await p.login.signIn()
    expect(p.login.errors).toEqual({ password: 'Wrong password' })
    expect(p.login.failure.value).toBe('Wrong name or password')
    expect(p.login.submitting.value).toBe(false)
  })

  it('says the server cannot be reached when the network is down', async () => {
    goOffline()
    const p = await loginPage()
    await p.login.signIn()
    expect(p.login.failure.value).toBe(i18n.global.t('errors.network'))
    expect(p.router.currentRoute.value.name).toBe('login')
  })
})
