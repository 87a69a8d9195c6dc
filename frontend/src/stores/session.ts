/** The signed-in user (GET /me) and the sign-in / sign-out actions, shared by both apps. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { authApi } from '@/api/auth'
import { setCsrfToken } from '@/api/http'
import { ApiError } from '@/api/errors'
import type { LoginPayload, Me } from '@/api/types'

export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const loaded = ref(false)

  function remember(user: Me | null) {
    me.value = user
    setCsrfToken(user?.csrf_token)
    loaded.value = true
  }

  /** Loads the current user once; a 401 simply means "not signed in". */
  async function load(): Promise<Me | null> {
    try {
      remember(await authApi.me())
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err
      remember(null)
    }
    return me.value
  }

  async function ensureLoaded(): Promise<Me | null> {
    return loaded.value ? me.value : load()
  }

  async function login(payload: LoginPayload): Promise<Me> {
    const user = await authApi.login(payload)
    remember(user)
    return user
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } finally {
      remember(null)
    }
  }

  /** Called when any request answers 401: the session is gone. */
  function expire() {
    remember(null)
  }

  /** For showing or hiding controls only: the server checks every request itself. */
  function can(permission: string): boolean {
    const user = me.value
    if (!user) return false
    return user.is_admin || user.permissions.includes('*') || user.permissions.includes(permission)
  }

  return { me, loaded, load, ensureLoaded, login, logout, expire, can }
})
