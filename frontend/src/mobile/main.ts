/** Mobile entry (/m): Vant, router with base /m/, pinia and i18n, mounted on m/index.html. */
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import Vant, { showToast } from 'vant'
import 'vant/lib/index.css'
import '@/assets/mobile.css'
import App from './App.vue'
import { MOBILE_PAGES, createMobileRouter } from './router'
import { i18n } from '@/i18n'
import { returnToLoginOnExpiry } from '@/composables/sessionRouting'

const app = createApp(App)
const pinia = createPinia()
const router = createMobileRouter()
app.use(pinia).use(i18n).use(router).use(Vant)

returnToLoginOnExpiry(router, pinia, MOBILE_PAGES.login, (message) => showToast(message))

app.mount('#app')
