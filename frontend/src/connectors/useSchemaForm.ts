/**
 * State of one schema-generated form: its fields, values, stored secrets and the error shown
 * beside each field, whether the browser or the server found it.
 */
import { reactive, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError } from '@/api/errors'
import {
  buildPayload,
  fieldsOf,
  initialValues,
  placeServerErrors,
  storedSecrets,
  type FieldProblem,
  type FormValues,
  type JsonSchema,
  type SchemaField,
} from './schemaForm'

export function useSchemaForm(prefix = 'config') {
  const { t } = useI18n()
  const fields = shallowRef<SchemaField[]>([])
  const values = ref<FormValues>({})
  const stored = shallowRef(new Set<string>())
  const errors = reactive<Record<string, string>>({})
  /** Server errors outside the schema's fields (e.g. `key`), keyed by their path. */
  const otherErrors = reactive<Record<string, string>>({})
  const general = ref<string[]>([])

  function clearErrors() {
    for (const key of Object.keys(errors)) delete errors[key]
    for (const key of Object.keys(otherErrors)) delete otherErrors[key]
    general.value = []
  }

  /** Starts the form over for `schema`, with saved values (secrets masked) if any. */
  function reset(schema: JsonSchema | null | undefined, secretFields: readonly string[] = [], saved: Record<string, unknown> = {}) {
    fields.value = fieldsOf(schema, secretFields)
    values.value = initialValues(fields.value, saved)
    stored.value = storedSecrets(fields.value, saved)
    clearErrors()
  }

  function problemText(problem: FieldProblem): string {
    return t(`connectorProblems.${problem.keyword}`, problem.params ?? {})
  }

  /** The payload to send, or null after showing the browser's objections beside the fields. */
  function payload(): Record<string, unknown> | null {
    clearErrors()
    const built = buildPayload(fields.value, values.value, stored.value)
    for (const problem of built.problems) errors[problem.path] ??= problemText(problem)
    return built.problems.length ? null : built.payload
  }

  /** Puts a refused request's field errors beside the fields; returns the ApiError, if any. */
  function applyServer(err: unknown): ApiError | null {
    clearErrors()
    if (!(err instanceof ApiError)) return null
    const placed = placeServerErrors(err.fieldErrors, fields.value, prefix)
    Object.assign(errors, placed.fields)
    Object.assign(otherErrors, placed.rest)
    general.value = placed.general
    return err
  }

  return { fields, values, stored, errors, otherErrors, general, reset, payload, applyServer, clearErrors }
}
