/** Sign-in, sign-out and the current user. */
import { http } from './http'
import type { LoginPayload, Me } from './types'

export const authApi = {
  login: (payload: LoginPayload) => http.post<Me>('/auth/login', payload, { allowUnauthorized: true }),
  logout: () => http.post<void>('/auth/logout', {}, { allowUnauthorized: true }),
  me: () => http.get<Me>('/me', undefined, { allowUnauthorized: true }),
}
