/**
 * Loading and saving one record of a published form: the form's schema, the record (or a
 * new one), create / patch with the row_version read, the "someone changed it" conflict,
 * and delete with undo. Used by the console's record page and the phone's.
 */
import { computed, ref } from 'vue'
import type { FieldMeta, FormItem, FormSchema, RecordItem } from '@/api/formTypes'
import { ApiError } from '@/api/errors'
import { formsApi, recordsApi } from '@/api/forms'
import type { JsonSchema } from '@/forms/jsonSchema'
import { useRecordEditor } from './useRecordEditor'

export function useRecordPage(formId: number, recordId: number | null) {
  const form = ref<FormItem | null>(null)
  const schema = ref<FormSchema | null>(null)
  const record = ref<RecordItem | null>(null)
  const loading = ref(true)
  const saving = ref(false)
  /** The newer record the server sent with a 409; the user reloads to see it. */
  const conflict = ref<RecordItem | null>(null)
  const loadError = ref<ApiError | null>(null)

  const fields = computed<FieldMeta[]>(() => schema.value?.fields ?? [])
  const jsonSchema = computed(() => (schema.value?.json_schema ?? null) as JsonSchema | null)
  const editor = useRecordEditor(fields, jsonSchema)

  async function load() {
    loading.value = true
    loadError.value = null
    conflict.value = null
    try {
      const [f, s, r] = await Promise.all([
        formsApi.get(formId),
        formsApi.schema(formId),
        recordId === null ? Promise.resolve(null) : recordsApi.get(formId, recordId),
      ])
      form.value = f
      schema.value = s
      record.value = r
      editor.reset(r ?? undefined)
    } catch (err) {
      loadError.value = err instanceof ApiError ? err : null
      throw err
    } finally {
      loading.value = false
    }
  }

  /** Saves; resolves to the saved record, or null when checks or the server refused it. */
  async function save(): Promise<RecordItem | null> {
    if (!editor.validate()) return null
    saving.value = true
    try {
      const body = editor.payload()
      const saved = record.value
        ? await recordsApi.update(formId, record.value.id, record.value._row_version, body)
        : await recordsApi.create(formId, body)
      record.value = saved
      editor.reset(saved)
      return saved
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === 'conflict') {
        const current = (err.raw as { current?: RecordItem } | null)?.current ?? null
        conflict.value = current
      }
      editor.applyServerError(err)
      throw err
    } finally {
      saving.value = false
    }
  }

  /** Shows the record as it is now on the server (after a conflict), dropping local edits. */
  function takeCurrent() {
    if (conflict.value) {
      record.value = conflict.value
      editor.reset(conflict.value)
    }
    conflict.value = null
  }

  async function remove(): Promise<RecordItem | null> {
    if (!record.value) return null
    return recordsApi.remove(formId, record.value.id)
  }

  const restore = (id: number) => recordsApi.restore(formId, id)

  return { form, schema, record, fields, loading, saving, conflict, loadError, editor, load, save, takeCurrent, remove, restore }
}
