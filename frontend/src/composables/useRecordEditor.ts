/**
 * The state of one record form: values, linkage (shown / required), the browser's checks
 * and the server's field errors by path. Renderers (console and phone) only draw it.
 */
import { computed, reactive, ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FieldMeta, RecordValues } from '@/api/formTypes'
import { ApiError } from '@/api/errors'
import type { JsonSchema } from '@/forms/jsonSchema'
import { expressionTypes, isRequired, isVisible, todayIn } from '@/forms/linkage'
import {
  activeFields,
  expressionData,
  initialValues,
  mapServerErrors,
  recordPayload,
  validateRecord,
  type Problem,
} from '@/forms/recordValues'
import { useSessionStore } from '@/stores/session'

export function useRecordEditor(fields: Ref<FieldMeta[]>, schema: Ref<JsonSchema | null>) {
  const { t } = useI18n()
  const session = useSessionStore()
  const today = todayIn(session.me?.tenant?.timezone || undefined)
  const values = reactive<RecordValues>({})
  const problems = ref<Record<string, Problem>>({})
  const serverErrors = ref<Record<string, string>>({})
  /** The form-wide message of the last failed save (not tied to one field). */
  const failure = ref('')
  /** Checks run live once the user has tried to save. */
  const touched = ref(false)

  const types = computed(() => expressionTypes(fields.value))
  const data = computed(() => expressionData(fields.value, values, today))
  const shown = computed(() => activeFields(fields.value).filter((f) => isVisible(f, data.value, today, types.value)))

  function reset(record?: RecordValues) {
    for (const key of Object.keys(values)) delete values[key]
    Object.assign(values, initialValues(fields.value, record))
    problems.value = {}
    serverErrors.value = {}
    failure.value = ''
    touched.value = false
  }

  function requiredOf(field: FieldMeta): boolean {
    return isRequired(field, data.value, today, types.value)
  }

  function check(): boolean {
    problems.value = validateRecord(fields.value, schema.value, values, today)
    return Object.keys(problems.value).length === 0
  }

  /** Validates before a save; afterwards every change re-checks. */
  function validate(): boolean {
    touched.value = true
    serverErrors.value = {}
    failure.value = ''
    return check()
  }

  function onChange() {
    if (touched.value) check()
  }

  function errorOf(path: string): string {
    const problem = problems.value[path]
    if (problem) return t(`validation.${problem.keyword}`, problem.params as Record<string, unknown>)
    return serverErrors.value[path] ?? ''
  }

  /** Shows a failed save's field errors; returns true when they were about fields. */
  function applyServerError(err: unknown): boolean {
    serverErrors.value = {}
    if (!(err instanceof ApiError)) {
      failure.value = t('errors.network')
      return false
    }
    serverErrors.value = mapServerErrors(err.fieldErrors)
    failure.value = err.message
    return Object.keys(serverErrors.value).length > 0
  }

  return {
    values,
    data,
    shown,
    today,
    problems,
    serverErrors,
    failure,
    reset,
    requiredOf,
    validate,
    onChange,
    errorOf,
    applyServerError,
    payload: () => recordPayload(fields.value, values, today),
  }
}

export type RecordEditor = ReturnType<typeof useRecordEditor>
