/** The ChartTexts of the UI language: labels, level names and number formats for chartOptions. */
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { labelText } from '@/forms/labels'
import type { ChartTexts } from './chartOptions'

export function useChartTexts() {
  const { t, locale } = useI18n()
  return computed<ChartTexts>(() => {
    const format = new Intl.NumberFormat(locale.value, { maximumFractionDigits: 2 })
    return {
      label: (label, fallback) => labelText(label, locale.value, fallback),
      level: (level) => t(`levels.${level}`),
      empty: t('dashboards.empty'),
      total: t('dashboards.total'),
      formatNumber: (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : format.format(n)),
    }
  })
}
