/** Console entry: Element Plus, router, pinia and i18n, mounted on index.html. */
import { createApp, watchEffect } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus, { ElMessage } from 'element-plus'
import 'element-plus/dist/index.css'
import '@/assets/console.css'
import App from './App.vue'
import { createConsoleRouter } from './router'
import { i18n } from '@/i18n'
import { onUnauthorized, setFallbackErrorMessage } from '@/api/http'
import { useSessionStore } from '@/stores/session'

const app = createApp(App)
const pinia = createPinia()
const router = createConsoleRouter()
app.use(pinia).use(i18n).use(router).use(ElementPlus)

watchEffect(() => setFallbackErrorMessage(i18n.global.t('errors.network')))

onUnauthorized(() => {
  const session = useSessionStore(pinia)
  const wasSignedIn = session.me !== null // several requests may fail at once: react to the first
  session.expire()
  const current = router.currentRoute.value
  if (wasSignedIn && current.name !== 'login') {
    ElMessage.warning(i18n.global.t('auth.sessionExpired'))
    router.replace({ name: 'login', query: { redirect: current.fullPath } })
  }
})

app.mount('#app')
