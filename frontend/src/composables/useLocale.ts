/** The current UI language: read, switch (persisted to localStorage), reflect on <html lang>. */
import { computed, watch } from 'vue'
import { i18n, storeLocale, type AppLocale, SUPPORTED_LOCALES } from '@/i18n'

const locale = i18n.global.locale

watch(
  locale,
  (value) => {
    if (typeof document !== 'undefined') document.documentElement.lang = value
  },
  { immediate: true },
)

export function useLocale() {
  const current = computed<AppLocale>(() => locale.value as AppLocale)
  function setLocale(next: AppLocale) {
    locale.value = next
    storeLocale(next)
  }
  return { locale: current, setLocale, locales: SUPPORTED_LOCALES }
}
