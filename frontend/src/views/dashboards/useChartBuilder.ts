/**
 * The chart builder's state: the chosen form and what it offers (its published fields, one
 * level into related forms, the warning rules on it, and the alerts they raised as another
 * source to read, with the alert's facts as fields), the definition being built, a
 * debounced live preview, and saving with the server's errors kept by path
 * (`definition.measures.1.field`) for the control they belong to.
 */
import { computed, reactive, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { formsApi } from '@/api/forms'
import { rulesApi } from '@/api/rules'
import { ApiError, fieldErrorMessages } from '@/api/errors'
import type { FieldMeta, FormItem, Label } from '@/api/formTypes'
import type { Rule } from '@/api/ruleTypes'
import { useFormErrors } from '@/composables/useFormErrors'
import { chartsApi } from './api'
import {
  cleanDefinition,
  countMeasure,
  defaultDimension,
  defaultMeasure,
  definitionProblems,
  emptyDefinition,
  fieldChoices,
  levelDimension,
  moveItem,
  removeMeasure,
  roleOf,
  withSource,
  type FieldChoice,
} from './definition'
import { definitionAt, errorsOfView } from './drill'
import { newKey } from './keys'
import type { Chart, ChartDefinition, ChartResult, ChartSource, ChartSourceKey, Measure } from './types'

export type Zone = 'dimension' | 'measure'

const PREVIEW_DELAY_MS = 500

export function useChartBuilder() {
  const { locale } = useI18n()
  const chart = ref<Chart | null>(null)
  const forms = ref<FormItem[]>([])
  const formId = ref<number | null>(null)
  const fields = ref<FieldMeta[]>([])
  const related = ref<Record<string, FieldMeta[]>>({})
  const rules = ref<Rule[]>([])
  const sources = ref<ChartSource[]>([])
  const label = reactive({ zh: '', en: '' })
  const definition = ref<ChartDefinition>(emptyDefinition())
  const preview = ref<ChartResult | null>(null)
  const previewing = ref(false)
  const previewError = ref('')
  const previewErrors = ref<Record<string, string>>({})
  const saving = ref(false)
  const saveErrors = useFormErrors()

  const form = computed(() => forms.value.find((f) => f.id === formId.value) ?? null)
  /** What the definition reads: null for the form's records, else the source with its fields. */
  const source = computed<ChartSource | null>(() => {
    const key = definition.value.source
    return key ? (sources.value.find((s) => s.key === key) ?? { key, fields: [], rules: 0 }) : null
  })
  /** The sources worth offering: those with rules watching the form, and the one already read. */
  const offeredSources = computed(() => sources.value.filter((s) => s.rules > 0 || s.key === source.value?.key))
  /** The rules whose levels the chart may group by; a chart of alerts has the level as a field instead. */
  const levelRules = computed(() => (source.value ? [] : rules.value))
  const choices = computed(() => fieldChoices(fields.value, related.value, locale.value, source.value))
  const problems = computed(() => definitionProblems(definition.value))
  /** The server's messages by path: the last save's, else the last preview's. */
  const errors = computed<Record<string, string>>(() => (Object.keys(saveErrors.errors).length ? saveErrors.errors : previewErrors.value))

  async function loadForms() {
    forms.value = (await formsApi.list()).items.filter((f) => f.published_version !== null)
  }

  /** The published fields of the form, of the forms its relation fields point to, its rules, and what else a chart of it may read. */
  async function loadFormMeta(id: number) {
    const target = forms.value.find((f) => f.id === id)
    const [schema, ruleList, sourceList] = await Promise.all([
      formsApi.schema(id),
      rulesApi.list().catch(() => ({ items: [] as Rule[] })),
      chartsApi.sources(id).catch(() => ({ items: [] as ChartSource[] })),
    ])
    fields.value = schema.fields
    sources.value = sourceList.items
    rules.value = ruleList.items.filter((r) => target && r.draft?.form === target.key)
    const links: Record<string, FieldMeta[]> = {}
    await Promise.all(
      schema.fields
        .filter((f) => f.type === 'relation' && !f.removed && f.relation?.form)
        .map(async (f) => {
          const linked = forms.value.find((x) => x.key === f.relation?.form)
          if (!linked) return
          try {
            links[f.key] = (await formsApi.schema(linked.id)).fields
          } catch {
            // no access to the linked form: its fields are simply not offered
          }
        }),
    )
    related.value = links
  }

  async function load(chartId: number | null) {
    await loadForms()
    if (chartId === null) return
    const saved = await chartsApi.get(chartId)
    chart.value = saved
    const text = typeof saved.label === 'string' ? { zh: saved.label, en: '' } : { zh: saved.label?.zh ?? '', en: saved.label?.en ?? '' }
    Object.assign(label, text)
    definition.value = { ...emptyDefinition(), ...saved.definition }
    formId.value = saved.form_id
    await loadFormMeta(saved.form_id)
  }

  /** A new form starts a new definition (same type), counting its records. */
  async function chooseForm(id: number) {
    formId.value = id
    definition.value = { ...emptyDefinition(definition.value.type), measures: [countMeasure([])] }
    saveErrors.clear()
    fields.value = []
    related.value = {}
    sources.value = []
    await loadFormMeta(id)
  }

  /** Reads `key` (null: the form's records); going back drops what named the alert's facts. */
  function chooseSource(key: ChartSourceKey | null) {
    const keys = source.value?.fields.map((f) => f.key) ?? []
    definition.value = withSource(definition.value, key, keys)
  }

  const choiceOf = (path: string): FieldChoice | undefined => choices.value.find((c) => c.path === path)

  function add(zone: Zone, path: string) {
    const choice = choiceOf(path)
    if (!choice) return
    const def = definition.value
    if (zone === 'dimension') {
      const dim = defaultDimension(choice)
      if (!def.dimensions.some((d) => 'field' in d && d.field === choice.path)) def.dimensions = [...def.dimensions, dim]
      if (roleOf(choice) === 'date' && !def.date_field && !choice.path.includes('.')) def.date_field = choice.path
    } else {
      def.measures = [...def.measures, defaultMeasure(choice, def.measures)]
    }
  }

  /** A click on a field: dates and categories group, numbers add up. */
  function addByRole(path: string) {
    const choice = choiceOf(path)
    if (choice) add(roleOf(choice) === 'number' ? 'measure' : 'dimension', path)
  }

  function addLevel(ruleKey: string) {
    const def = definition.value
    if (!def.dimensions.some((d) => 'alert_level' in d && d.alert_level === ruleKey)) def.dimensions = [...def.dimensions, levelDimension(ruleKey)]
  }

  function addCount() {
    definition.value.measures = [...definition.value.measures, countMeasure(definition.value.measures)]
  }

  function addMeasure(measure: Measure) {
    definition.value.measures = [...definition.value.measures, measure]
  }

  function removeDimension(index: number) {
    definition.value.dimensions = definition.value.dimensions.filter((_, i) => i !== index)
  }

  function dropMeasure(index: number) {
    definition.value = removeMeasure(definition.value, index)
  }

  function moveDimension(index: number, step: -1 | 1) {
    definition.value.dimensions = moveItem(definition.value.dimensions, index, step)
  }

  let timer: ReturnType<typeof setTimeout> | null = null
  let latest = 0

  async function runPreview() {
    const id = formId.value
    if (id === null || problems.value.length) {
      preview.value = null
      return
    }
    const request = ++latest
    const def = cleanDefinition(definition.value)
    previewing.value = true
    try {
      // the preview shows what a viewer first sees: a chart with drill levels starts at the top one
      const result = await chartsApi.preview(id, definitionAt(def, 0))
      if (request !== latest) return
      preview.value = result
      previewError.value = ''
      previewErrors.value = {}
    } catch (err) {
      if (request !== latest) return
      preview.value = null
      previewErrors.value = err instanceof ApiError ? errorsOfView(fieldErrorMessages(err.fieldErrors), def, 0) : {}
      previewError.value = err instanceof ApiError ? err.message : String(err)
    } finally {
      if (request === latest) previewing.value = false
    }
  }

  watch(
    [definition, formId],
    () => {
      saveErrors.clear()
      if (timer) clearTimeout(timer)
      timer = setTimeout(runPreview, PREVIEW_DELAY_MS)
    },
    { deep: true },
  )

  /** Saves the chart; resolves to the saved chart, or null when the server refused it. */
  async function save(): Promise<Chart | null> {
    const target = form.value
    if (!target) return null
    saving.value = true
    saveErrors.clear()
    const name: Label = label.en.trim() ? { zh: label.zh.trim(), en: label.en.trim() } : { zh: label.zh.trim() }
    const input = { label: name, app_id: target.app_id, form_id: target.id, definition: cleanDefinition(definition.value) }
    try {
      const saved = chart.value ? await chartsApi.update(chart.value.id, input) : await chartsApi.create({ ...input, key: newKey('chart') })
      chart.value = saved
      return saved
    } catch (err) {
      saveErrors.apply(err)
      throw err
    } finally {
      saving.value = false
    }
  }

  return {
    chart,
    forms,
    form,
    formId,
    fields,
    rules,
    levelRules,
    source,
    offeredSources,
    label,
    definition,
    choices,
    problems,
    preview,
    previewing,
    previewError,
    errors,
    saving,
    load,
    chooseForm,
    chooseSource,
    choiceOf,
    add,
    addByRole,
    addLevel,
    addCount,
    addMeasure,
    removeDimension,
    dropMeasure,
    moveDimension,
    save,
  }
}

export type ChartBuilder = ReturnType<typeof useChartBuilder>
