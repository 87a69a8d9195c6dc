/**
 * How a task's record reads on the console and the phone: values formatted in the user's
 * language, and the ids of its user, department and relation fields named by the titles the
 * task carries, which the page's reference inputs are given too (no lookups an approver may
 * not be allowed).
 */
import { computed, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FlowTaskDetail } from '@/api/flows'
import type { DisplayContext } from '@/forms/display'
import { useDateFormat } from '@/composables/useDateFormat'
import { provideKnownTitles } from '@/composables/useReferenceOptions'
import { taskTitles } from './taskView'

export function useTaskDisplay(task: Ref<FlowTaskDetail | null>) {
  const { t, locale } = useI18n()
  const { formatDateTime } = useDateFormat()
  const titles = computed(() => taskTitles(task.value))
  provideKnownTitles(titles)
  const ctx = computed<DisplayContext>(() => ({
    locale: locale.value,
    yes: t('common.yes'),
    no: t('common.no'),
    rows: (n: number) => String(n),
    formatDateTime,
    refName: (field, id) => titles.value[field.key]?.[String(id)],
  }))
  return { ctx }
}
