/**
 * Mobile entry (/m): router with base /m/, pinia and i18n, mounted on m/index.html. Vant
 * components are imported by the pages that use them (vite.config.ts); the styles of those
 * called as functions (toasts, dialogs) are imported here.
 */
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { showToast } from 'vant'
import 'vant/es/style/base.css'
import 'vant/es/toast/style'
import 'vant/es/dialog/style'
import '@/assets/mobile.css'
import App from './App.vue'
import { MOBILE_PAGES, createMobileRouter } from './router'
import { i18n } from '@/i18n'
import { returnToLoginOnExpiry } from '@/composables/sessionRouting'

const app = createApp(App)
const pinia = createPinia()
const router = createMobileRouter()
app.use(pinia).use(i18n).use(router)

returnToLoginOnExpiry(router, pinia, MOBILE_PAGES.login, (message) => showToast(message))

app.mount('#app')
