/**
 * How the session steers the console's and the phone's routers: a page needs a signed-in
 * user (otherwise the login page, remembering where the user was going), the login page
 * sends a signed-in user on, and a session that ends mid-use returns to the login page.
 * Each app names its own login route and home; nothing here draws anything.
 */
import type { Pinia } from 'pinia'
import type { Router } from 'vue-router'
import { onUnauthorized } from '@/api/http'
import { i18n } from '@/i18n'
import { useSessionStore } from '@/stores/session'

export interface SessionPages {
  /** The name of the app's login route. */
  login: string
  /** Where a signed-in user goes when no page of this app was asked for. */
  home: string
}

/** The page asked for after signing in, if it is a path of this app (never another site). */
export function safeRedirect(value: unknown, home: string): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : home
}

export function requireSession(router: Router, { login, home }: SessionPages): void {
  router.beforeEach(async (to) => {
    const session = useSessionStore()
    let me = session.me
    try {
      me = await session.ensureLoaded()
    } catch {
      me = null // server unreachable: the login page says so when the user tries
    }
    if (to.meta.public) return me && to.name === login ? safeRedirect(to.query.redirect, home) : true
    if (!me) return { name: login, query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
    return true
  })
}

/** On a 401 the session is over: `warn` tells the user once, then the login page opens. */
export function returnToLoginOnExpiry(router: Router, pinia: Pinia, login: string, warn: (message: string) => void): void {
  onUnauthorized(() => {
    const session = useSessionStore(pinia)
    const wasSignedIn = session.me !== null // several requests may fail at once: react to the first
    session.expire()
    const current = router.currentRoute.value
    if (wasSignedIn && current.name !== login) {
      warn(i18n.global.t('auth.sessionExpired'))
      router.replace({ name: login, query: { redirect: current.fullPath } })
    }
  })
}
