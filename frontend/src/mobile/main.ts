/** Mobile entry (/m): Vant, router with base /m/, pinia and i18n, mounted on m/index.html. */
import { createApp, watchEffect } from 'vue'
import { createPinia } from 'pinia'
import Vant, { showToast } from 'vant'
import 'vant/lib/index.css'
import '@/assets/mobile.css'
import App from './App.vue'
import { createMobileRouter } from './router'
import { i18n } from '@/i18n'
import { onUnauthorized, setFallbackErrorMessage } from '@/api/http'
import { useSessionStore } from '@/stores/session'

const app = createApp(App)
const pinia = createPinia()
const router = createMobileRouter()
app.use(pinia).use(i18n).use(router).use(Vant)

watchEffect(() => setFallbackErrorMessage(i18n.global.t('errors.network')))

onUnauthorized(() => {
  const session = useSessionStore(pinia)
  const wasSignedIn = session.me !== null // several requests may fail at once: react to the first
  session.expire()
  const current = router.currentRoute.value
  if (wasSignedIn && current.name !== 'm-login') {
    showToast(i18n.global.t('auth.sessionExpired'))
    router.replace({ name: 'm-login', query: { redirect: current.fullPath } })
  }
})

app.mount('#app')
