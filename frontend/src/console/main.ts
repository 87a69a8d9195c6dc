/** Console entry: Element Plus, router, pinia and i18n, mounted on index.html. */
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus, { ElMessage } from 'element-plus'
import 'element-plus/dist/index.css'
import '@/assets/console.css'
import App from './App.vue'
import { CONSOLE_PAGES, createConsoleRouter } from './router'
import { i18n } from '@/i18n'
import { returnToLoginOnExpiry } from '@/composables/sessionRouting'

const app = createApp(App)
const pinia = createPinia()
const router = createConsoleRouter()
app.use(pinia).use(i18n).use(router).use(ElementPlus)

returnToLoginOnExpiry(router, pinia, CONSOLE_PAGES.login, (message) => ElMessage.warning(message))

app.mount('#app')
