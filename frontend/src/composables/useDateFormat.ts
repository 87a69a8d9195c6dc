/** Formats API timestamps (UTC ISO strings) in the tenant's time zone and the UI language. */
import { useI18n } from 'vue-i18n'
import { useSessionStore } from '@/stores/session'

export function formatDateTime(iso: string | null | undefined, locale: string, timeZone?: string): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  try {
    return new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZone,
    }).format(date)
  } catch {
    // Unknown time zone name: fall back to the browser's zone rather than showing nothing.
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date)
  }
}

export function useDateFormat() {
  const { locale } = useI18n()
  const session = useSessionStore()
  return {
    formatDateTime: (iso: string | null | undefined) =>
      formatDateTime(iso, locale.value, session.me?.tenant?.timezone || undefined),
  }
}
