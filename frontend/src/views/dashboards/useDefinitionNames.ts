/**
 * What the builder calls each dimension and measure of the definition, in the UI language:
 * "Level (Near-expiry rule)", "Sum · Quantity", "Sum · Quantity ÷ Record count" ("Alert
 * count" for a chart of alerts).
 */
import { useI18n } from 'vue-i18n'
import { labelLang, labelText } from '@/forms/labels'
import { formulaParts, isFormula, type FormulaOp } from './definition'
import type { ChartBuilder } from './useChartBuilder'
import type { Dimension, Measure } from './types'

export const OP_NAMES: Record<FormulaOp, string> = { '/': 'divide', '*': 'multiply', '+': 'add', '-': 'subtract' }

export function useDefinitionNames(b: ChartBuilder) {
  const { t, locale } = useI18n()

  /** What a plain count counts: the form's records, or the alerts a chart of alerts reads. */
  function countName(): string {
    return b.source.value ? t('dashboards.builder.alertCount') : t('dashboards.builder.recordCount')
  }

  function dimensionName(dim: Dimension, withBucket = true): string {
    if ('alert_level' in dim) {
      const rule = b.rules.value.find((r) => r.key === dim.alert_level)
      return t('dashboards.builder.levelOf', { rule: rule ? labelText(rule.label, locale.value, t('dashboards.untitled')) : t('dashboards.builder.missingRule') })
    }
    const name = b.choiceOf(dim.field)?.label ?? t('dashboards.builder.missingField')
    return dim.bucket && withBucket ? `${name} (${t(`dashboards.buckets.${dim.bucket}`)})` : name
  }

  /** The name made from what the measure computes. */
  function autoName(m: Measure): string {
    if (isFormula(m)) {
      const parts = formulaParts(m.formula)
      if (!parts) return t('dashboards.builder.formula')
      const of = (key: string) => {
        const other = b.definition.value.measures.find((x) => x.key === key)
        return other ? measureName(other) : t('dashboards.builder.missingField')
      }
      return `${of(parts.left)} ${t(`dashboards.ops.${OP_NAMES[parts.op]}`)} ${of(parts.right)}`
    }
    if (!m.field) return countName()
    return `${t(`dashboards.aggs.${m.agg}`)} · ${b.choiceOf(m.field)?.label ?? t('dashboards.builder.missingField')}`
  }

  /** The measure's own name in the UI language, else its made-up one. */
  function measureName(m: Measure): string {
    const own = typeof m.label === 'string' ? m.label : m.label?.[labelLang(locale.value)]
    return own || autoName(m)
  }

  return { dimensionName, autoName, measureName, countName }
}
