/**
 * vue-i18n set-up shared by the console and the mobile app. The chosen locale lives in
 * localStorage only; zh-CN is the default. The page's `<html lang>` follows it from the
 * moment this module loads, so screen readers read the page in the language it shows.
 */
import { watch, type WatchStopHandle } from 'vue'
import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN'
import en from './locales/en'

export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const
export type AppLocale = (typeof SUPPORTED_LOCALES)[number]
export const DEFAULT_LOCALE: AppLocale = 'zh-CN'
export const LOCALE_STORAGE_KEY = 'gs_locale'

export const messages = { 'zh-CN': zhCN, en }

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value)
}

export function readStoredLocale(): AppLocale {
  try {
    const stored = localStorage.getItem(LOCALE_STORAGE_KEY)
    return isAppLocale(stored) ? stored : DEFAULT_LOCALE
  } catch {
    return DEFAULT_LOCALE
  }
}

export function storeLocale(locale: AppLocale): void {
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: readStoredLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages,
})

/**
 * Keeps `lang` of the given element (the page's `<html>`) on the current locale, now and on
 * every switch; returns the function that stops it.
 */
export function followLocaleOnDocument(root: { lang: string }): WatchStopHandle {
  return watch(
    i18n.global.locale,
    (value) => {
      root.lang = value
    },
    { immediate: true, flush: 'sync' },
  )
}

if (typeof document !== 'undefined') followLocaleOnDocument(document.documentElement)
