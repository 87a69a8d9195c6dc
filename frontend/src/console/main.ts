/**
 * Console entry: router, pinia and i18n, mounted on index.html. Element Plus components are
 * imported by the pages that use them (vite.config.ts); the styles of those called as
 * functions (messages, message boxes) are imported here.
 */
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { ElMessage } from 'element-plus'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/button/style/css'
import '@/assets/console.css'
import App from './App.vue'
import { CONSOLE_PAGES, createConsoleRouter } from './router'
import { i18n } from '@/i18n'
import { returnToLoginOnExpiry } from '@/composables/sessionRouting'

const app = createApp(App)
const pinia = createPinia()
const router = createConsoleRouter()
app.use(pinia).use(i18n).use(router)

returnToLoginOnExpiry(router, pinia, CONSOLE_PAGES.login, (message) => ElMessage.warning(message))

app.mount('#app')
