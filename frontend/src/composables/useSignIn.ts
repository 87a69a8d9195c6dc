/**
 * Signing in, for the console's and the phone's login pages: the form, the tenant slug the
 * user adds when the server asks for it (or when they choose to), the failure shown until the
 * next attempt, and the page to open afterwards. Each page checks its required fields its
 * own way before calling `signIn`.
 */
import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRoute, useRouter } from 'vue-router'
import { useSessionStore } from '@/stores/session'
import { safeRedirect } from './sessionRouting'
import { useFormErrors } from './useFormErrors'

/** `home`: where to go when the login page was not sent a page of this app to return to. */
export function useSignIn(home: string) {
  const { t } = useI18n()
  const route = useRoute()
  const router = useRouter()
  const session = useSessionStore()
  const { errors, apply, clear, set } = useFormErrors()
  const form = reactive({ username: '', password: '', tenant: '' })
  const showTenant = ref(false)
  const submitting = ref(false)
  /** The last attempt's refusal, shown apart from the fields until the next attempt. */
  const failure = ref('')

  async function signIn(): Promise<void> {
    submitting.value = true
    failure.value = ''
    clear()
    try {
      await session.login({
        username: form.username.trim(),
        password: form.password,
        ...(showTenant.value && form.tenant.trim() ? { tenant: form.tenant.trim() } : {}),
      })
      await router.replace(safeRedirect(route.query.redirect, home))
    } catch (err) {
      const apiError = apply(err)
      if (apiError?.code === 'tenant_required') {
        showTenant.value = true
        set('tenant', t('auth.tenantRequired'))
      }
      failure.value = apiError?.message || t('errors.network')
    } finally {
      submitting.value = false
    }
  }

  return { form, errors, setError: set, clearErrors: clear, showTenant, submitting, failure, signIn }
}
