/** The current UI language: read and switch (persisted to localStorage; `<html lang>` follows, see @/i18n). */
import { computed } from 'vue'
import { i18n, storeLocale, type AppLocale, SUPPORTED_LOCALES } from '@/i18n'

const locale = i18n.global.locale

export function useLocale() {
  const current = computed<AppLocale>(() => locale.value as AppLocale)
  function setLocale(next: AppLocale) {
    locale.value = next
    storeLocale(next)
  }
  return { locale: current, setLocale, locales: SUPPORTED_LOCALES }
}
