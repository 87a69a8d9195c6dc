/**
 * Warehouses and categories of the warning rules' forms: labels for the values alerts and
 * to-dos carry ("east" -> "华东仓") and options for their filters; where a rule's warehouse
 * or category is a relation field, that field, whose related records are the choices.
 * Loaded once, when the page mounts; without access to a form's schema the raw values are shown.
 */
import { computed, onMounted, reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { formsApi } from '@/api/forms'
import { rulesApi } from '@/api/rules'
import type { FieldMeta, FormItem } from '@/api/formTypes'
import type { Rule } from '@/api/ruleTypes'
import { labelText } from '@/forms/labels'
import { choiceLabels, fieldOptions } from '@/rules/fieldChoices'

type Option = { value: string; label: string }
type Which = 'warehouse_field' | 'category_field'

export function useRuleDimensions() {
  const { locale } = useI18n()
  const rules = ref<Rule[]>([])
  const forms = ref<FormItem[]>([])
  const fields = reactive<Record<string, FieldMeta[]>>({})

  async function load(): Promise<void> {
    try {
      const [r, f] = await Promise.all([rulesApi.list(), formsApi.list()])
      rules.value = r.items
      forms.value = f.items
    } catch {
      return
    }
    const keys = new Set(rules.value.map((r) => r.draft?.form).filter(Boolean))
    await Promise.all(
      forms.value
        .filter((f) => keys.has(f.key) && f.published_version !== null)
        .map(async (f) => {
          try {
            fields[f.key] = (await formsApi.schema(f.id)).fields
          } catch {
            // labels fall back to the stored values
          }
        }),
    )
  }

  /** The fields the rules name as their warehouse (or category) field. */
  function fieldsNamed(which: Which): FieldMeta[] {
    const found: FieldMeta[] = []
    for (const rule of rules.value) {
      const key = rule.draft?.[which]
      const field = key ? fields[rule.draft.form]?.find((f) => f.key === key) : undefined
      if (field) found.push(field)
    }
    return found
  }

  function optionsOf(which: Which): Option[] {
    const seen = new Map<string, string>()
    for (const field of fieldsNamed(which)) for (const o of fieldOptions(field, locale.value)) if (!seen.has(o.value)) seen.set(o.value, o.label)
    return [...seen].map(([value, label]) => ({ value, label }))
  }

  /** The first relation field named so whose related form is published (its records are the choices). */
  function relationOf(which: Which): FieldMeta | null {
    return fieldsNamed(which).find((f) => f.type === 'relation' && f.relation?.form && formOf(f.relation.form)) ?? null
  }

  const warehouses = computed(() => optionsOf('warehouse_field'))
  const categories = computed(() => optionsOf('category_field'))
  const warehouseRelation = computed(() => relationOf('warehouse_field'))
  const categoryRelation = computed(() => relationOf('category_field'))
  const labels = computed(() => {
    const all = new Map<string, string>()
    for (const list of Object.values(fields)) for (const [k, v] of choiceLabels(list, locale.value)) if (!all.has(k)) all.set(k, v)
    return all
  })

  function labelOf(value: string | null | undefined): string {
    if (value === null || value === undefined || value === '') return ''
    return labels.value.get(value) ?? value
  }

  function ruleName(id: number | null | undefined): string {
    const rule = rules.value.find((r) => r.id === id)
    return rule ? labelText(rule.label, locale.value, rule.key) : id ? `#${id}` : ''
  }

  onMounted(load)

  function formOf(key: string): FormItem | undefined {
    return forms.value.find((f) => f.key === key && f.published_version !== null)
  }

  return { rules, forms, warehouses, categories, warehouseRelation, categoryRelation, labelOf, ruleName, formOf }
}
