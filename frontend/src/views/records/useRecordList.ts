/**
 * One form's record list: the published fields and the columns the list computes, the
 * filter (an expression), the sort, the chosen columns (remembered per form in this
 * browser; else the form's default columns), paging, names for the ids in the rows, and
 * bulk delete with undo.
 */
import { computed, reactive, ref } from 'vue'
import type { Expression, FieldMeta, FormItem, RecordItem } from '@/api/formTypes'
import { formsApi, recordsApi } from '@/api/forms'
import { activeFields } from '@/forms/recordValues'

const COLUMNS_KEY = 'gs_record_columns_'

function storedColumns(formId: number): string[] | null {
  try {
    const raw = localStorage.getItem(`${COLUMNS_KEY}${formId}`)
    const parsed: unknown = raw ? JSON.parse(raw) : null
    return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : null
  } catch {
    return null
  }
}

export function useRecordList(formId: number) {
  const form = ref<FormItem | null>(null)
  const fields = ref<FieldMeta[]>([])
  const rows = ref<RecordItem[]>([])
  const total = ref(0)
  const totalExact = ref(true)
  const loading = ref(false)
  const filter = ref<Expression | null>(null)
  const sort = ref<string>('')
  const columns = ref<string[]>([])
  const query = reactive({ page: 1, page_size: 20 })
  const titles = ref<Record<string, Record<string, string>>>({})
  const computedFields = ref<FieldMeta[]>([])
  /** no columns chosen in this browser: the first page brings the form's defaults */
  let defaultsPending = false

  const shownFields = computed(() => [...computedFields.value, ...activeFields(fields.value)])
  const visibleFields = computed(() => shownFields.value.filter((f) => columns.value.includes(f.key)))
  const filterParam = computed(() => (filter.value ? JSON.stringify(filter.value) : undefined))
  /** Rows of the active filter, counted for the button's badge. */
  const filterCount = computed(() => {
    const f = filter.value as Record<string, unknown[]> | null
    if (!f) return 0
    const group = f.and ?? f.or
    return Array.isArray(group) ? group.length : 1
  })

  async function loadSchema() {
    const [item, schema] = await Promise.all([formsApi.get(formId), formsApi.schema(formId)])
    form.value = item
    fields.value = schema.fields
    const stored = storedColumns(formId)
    defaultsPending = !stored?.length
    columns.value = stored ?? []
  }

  /** The columns the form suggests, else its first fields (computed columns first). */
  function defaultColumns(suggested: string[]): string[] {
    const keys = shownFields.value.map((f) => f.key)
    const chosen = suggested.filter((k) => keys.includes(k))
    return chosen.length ? chosen : keys.slice(0, 8)
  }

  function setColumns(keys: string[]) {
    columns.value = keys
    try {
      localStorage.setItem(`${COLUMNS_KEY}${formId}`, JSON.stringify(keys))
    } catch {
      // storage full or disabled: the choice lasts for this page
    }
  }

  async function load() {
    loading.value = true
    try {
      const page = await recordsApi.list(formId, {
        page: query.page,
        page_size: query.page_size,
        filter: filterParam.value,
        sort: sort.value || undefined,
        fields: defaultsPending ? undefined : columns.value.join(',') || undefined,
      })
      rows.value = page.items
      total.value = page.total
      totalExact.value = page.total_exact !== false
      titles.value = page.titles ?? {}
      computedFields.value = page.list?.computed ?? []
      if (defaultsPending) {
        defaultsPending = false
        columns.value = defaultColumns(page.list?.columns ?? [])
      } else {
        const keys = shownFields.value.map((f) => f.key)
        columns.value = columns.value.filter((k) => keys.includes(k))
      }
    } finally {
      loading.value = false
    }
  }

  /** Deletes records one by one; resolves to the ids that were deleted (for undo). */
  async function removeMany(ids: number[]): Promise<number[]> {
    const done: number[] = []
    for (const id of ids) {
      await recordsApi.remove(formId, id)
      done.push(id)
    }
    return done
  }

  async function restoreMany(ids: number[]) {
    for (const id of ids) await recordsApi.restore(formId, id)
  }

  return {
    form,
    fields,
    rows,
    total,
    totalExact,
    loading,
    filter,
    filterParam,
    filterCount,
    sort,
    columns,
    query,
    titles,
    shownFields,
    visibleFields,
    loadSchema,
    setColumns,
    load,
    removeMany,
    restoreMany,
  }
}

export type RecordList = ReturnType<typeof useRecordList>
