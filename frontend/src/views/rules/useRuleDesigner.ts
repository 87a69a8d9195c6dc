/**
 * State and server calls of the rule designer: load a rule (or start a new one), keep the
 * schemas of the forms it names, save the draft, preview, publish and run. Server field
 * errors land in `errors` by the definition's paths ("expiry.field", "actions.red.0", ...).
 */
import { computed, reactive, ref, watch } from 'vue'
import { formsApi } from '@/api/forms'
import { rulesApi } from '@/api/rules'
import type { FieldMeta, FormItem } from '@/api/formTypes'
import type { Rule, RulePreview, RunResult } from '@/api/ruleTypes'
import { useFormErrors } from '@/composables/useFormErrors'
import { compactLabel, labelObject } from '@/forms/labels'
import { emptyState, fromDefinition, toDefinition, type DesignerState } from '@/rules/designerState'
import { DEFAULT_SCHEDULE } from '@/rules/schedule'

export type Busy = '' | 'load' | 'save' | 'preview' | 'publish' | 'run'

export function useRuleDesigner(onError: (err: unknown) => void) {
  const rule = ref<Rule | null>(null)
  const state = ref<DesignerState>(emptyState())
  const basics = reactive({ key: '', zh: '', en: '', schedule: DEFAULT_SCHEDULE, enabled: true })
  const forms = ref<FormItem[]>([])
  const schemas = reactive<Record<string, FieldMeta[]>>({})
  const preview = ref<RulePreview | null>(null)
  const runResult = ref<RunResult | null>(null)
  const busy = ref<Busy>('')
  const errors = useFormErrors()
  let savedSnapshot = ''

  const published = computed(() => forms.value.filter((f) => f.published_version !== null))
  const fields = computed(() => schemas[state.value.form] ?? [])
  const definition = computed(() => toDefinition(state.value))
  const snapshot = computed(() => JSON.stringify([definition.value, basics]))
  const dirty = computed(() => snapshot.value !== savedSnapshot)

  /** Fields of a published form by key, loaded once; [] while unknown. */
  async function ensureSchema(key: string): Promise<void> {
    if (!key || schemas[key]) return
    const form = forms.value.find((f) => f.key === key)
    if (!form || form.published_version === null) return
    try {
      schemas[key] = (await formsApi.schema(form.id)).fields
    } catch (err) {
      onError(err)
    }
  }

  /** The form a relation field of the rule's form points to. */
  function relatedFormKey(relationField: string): string {
    return fields.value.find((f) => f.key === relationField)?.relation?.form ?? ''
  }

  watch(() => state.value.form, (key) => ensureSchema(key))
  watch(() => state.value.sales.form, (key) => ensureSchema(key))
  watch([() => state.value.relationField, fields], () => ensureSchema(relatedFormKey(state.value.relationField)))

  function remember(saved: Rule) {
    rule.value = saved
    state.value = fromDefinition(saved.draft)
    const label = labelObject(saved.label)
    Object.assign(basics, { key: saved.key, zh: label.zh, en: label.en, schedule: saved.schedule, enabled: saved.enabled })
    savedSnapshot = snapshot.value
  }

  async function load(id: number | null): Promise<void> {
    busy.value = 'load'
    try {
      forms.value = (await formsApi.list()).items
      if (id !== null) remember(await rulesApi.get(id))
      else savedSnapshot = snapshot.value
      await ensureSchema(state.value.form)
    } catch (err) {
      onError(err)
    } finally {
      busy.value = ''
    }
  }

  async function guarded<T>(what: Busy, call: () => Promise<T>): Promise<T | null> {
    busy.value = what
    try {
      const result = await call()
      errors.clear()
      return result
    } catch (err) {
      errors.apply(err)
      onError(err)
      return null
    } finally {
      busy.value = ''
    }
  }

  /** Creates the rule or saves its draft, label, schedule and switch. */
  async function save(): Promise<Rule | null> {
    const input = {
      label: compactLabel(basics) ?? {},
      draft: definition.value,
      schedule: basics.schedule.trim(),
      enabled: basics.enabled,
    }
    const saved = await guarded('save', () =>
      rule.value ? rulesApi.update(rule.value.id, input) : rulesApi.create({ ...input, key: basics.key.trim() || undefined }),
    )
    if (saved) remember(saved)
    return saved
  }

  /** The rule saved, for the calls that need an id (a new rule is created first). */
  async function ensureSaved(): Promise<Rule | null> {
    return rule.value && !dirty.value ? rule.value : save()
  }

  async function runPreview(): Promise<RulePreview | null> {
    const saved = rule.value ?? (await save())
    if (!saved) return null
    const result = await guarded('preview', () => rulesApi.preview(saved.id, definition.value))
    if (result) preview.value = result
    return result
  }

  async function publish(): Promise<number | null> {
    const saved = await ensureSaved()
    if (!saved) return null
    const result = await guarded('publish', () => rulesApi.publish(saved.id))
    if (!result) return null
    rule.value = { ...saved, published_version: result.version }
    return result.version
  }

  async function run(): Promise<RunResult | null> {
    if (!rule.value) return null
    const id = rule.value.id
    const result = await guarded('run', () => rulesApi.run(id))
    if (result) {
      runResult.value = result
      rule.value = await rulesApi.get(id).catch(() => rule.value)
    }
    return result
  }

  return {
    rule,
    state,
    basics,
    forms: published,
    schemas,
    fields,
    definition,
    preview,
    runResult,
    busy,
    dirty,
    errors: errors.errors,
    relatedFormKey,
    load,
    save,
    runPreview,
    publish,
    run,
  }
}

export type RuleDesigner = ReturnType<typeof useRuleDesigner>
