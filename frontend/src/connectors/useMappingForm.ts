/**
 * State of a field mapping being edited in a dialog: its rows, its key fields and the errors
 * shown on them, whether the browser or the server found them.
 */
import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FieldErrors } from '@/api/errors'
import type { FieldSource } from '@/api/connectors'
import { blankRow, keptKeyFields, mappingFromRows, mappingRows, placeMappingErrors, type MappingRow } from './mapping'

export function useMappingForm() {
  const { t } = useI18n()
  const rows = ref<MappingRow[]>([])
  const keyFields = ref<string[]>([])
  /** Row index -> message. */
  const rowErrors = ref<Record<number, string>>({})
  const keyFieldsError = ref('')
  /** Messages about the mapping as a whole, shown under it. */
  const general = ref<string[]>([])

  function clearErrors() {
    rowErrors.value = {}
    keyFieldsError.value = ''
    general.value = []
  }

  /** Starts over from a saved mapping (one blank row when there is none). */
  function reset(mapping: Record<string, FieldSource> | null | undefined, keys: readonly string[] | null | undefined) {
    rows.value = mappingRows(mapping)
    if (!rows.value.length) rows.value = [blankRow()]
    keyFields.value = [...(keys ?? [])]
    clearErrors()
  }

  /** The mapping to send, or null after showing the browser's objections on the rows. */
  function build(): Record<string, FieldSource> | null {
    const built = mappingFromRows(rows.value)
    for (const problem of built.problems) {
      const index = Number(problem.path.split('.')[1])
      const text = t(`mapping.problems.${problem.keyword}`)
      if (Number.isInteger(index)) rowErrors.value = { ...rowErrors.value, [index]: text }
      else general.value = [...general.value, text]
    }
    return built.problems.length ? null : built.mapping
  }

  /** The key fields to send: the chosen ones that are still mapped. */
  function keys(): string[] {
    return keptKeyFields(keyFields.value, rows.value)
  }

  /** Puts a refused request's mapping and key field errors on the rows, after `before`. */
  function applyServer(fieldErrors: FieldErrors, before: readonly string[] = []) {
    const placed = placeMappingErrors(fieldErrors, rows.value)
    rowErrors.value = placed.rows
    general.value = [...before, ...placed.general]
    keyFieldsError.value = placed.keyFields
  }

  return reactive({ rows, keyFields, rowErrors, keyFieldsError, general, clearErrors, reset, build, keys, applyServer })
}

/** The state of one mapping being edited, as `useMappingForm` returns it. */
export type MappingForm = ReturnType<typeof useMappingForm>
