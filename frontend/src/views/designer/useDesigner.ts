/**
 * The designer's working copy of a form's draft: the fields on the canvas, the removed
 * ones (data kept), the selection, unsaved changes, and problems by field, both the
 * browser's (keys) and the server's (paths like fields.2.options).
 */
import { computed, ref, toRaw, watch } from 'vue'
import type { FieldMeta, FieldType, FormItem, FormMeta } from '@/api/formTypes'
import { formsApi } from '@/api/forms'
import { ApiError } from '@/api/errors'
import { KEY_PATTERN, RESERVED_KEYS, createField } from '@/forms/fieldTypes'

export interface FieldProblem {
  field: FieldMeta
  /** The child field of a sub-table the problem is about, if any. */
  child?: FieldMeta
  path: string
  messages: string[]
}

let nextUid = 1
const uids = new WeakMap<object, string>()

/** A stable id per field object, for v-for keys while keys and order change. */
export function uidOf(field: FieldMeta): string {
  const raw = toRaw(field)
  let uid = uids.get(raw)
  if (!uid) {
    uid = `f${nextUid++}`
    uids.set(raw, uid)
  }
  return uid
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

export function useDesigner(formId: number) {
  const form = ref<FormItem | null>(null)
  const fields = ref<FieldMeta[]>([])
  const removed = ref<FieldMeta[]>([])
  const selected = ref<FieldMeta | null>(null)
  const dirty = ref(false)
  const serverProblems = ref<FieldProblem[]>([])
  const generalErrors = ref<string[]>([])
  let loading = false

  watch(
    [fields, removed],
    () => {
      if (!loading) dirty.value = true
    },
    { deep: true },
  )

  function adopt(item: FormItem) {
    loading = true
    form.value = item
    const all = clone(item.draft?.fields ?? [])
    fields.value = all.filter((f) => !f.removed)
    removed.value = all.filter((f) => f.removed)
    selected.value = null
    dirty.value = false
    // The watcher runs after this tick; keep the flag until it has seen the new arrays.
    queueMicrotask(() => {
      loading = false
    })
  }

  async function load() {
    adopt(await formsApi.get(formId))
  }

  function draft(): FormMeta {
    const base = form.value?.draft ?? { fields: [] }
    return { ...clone(base), fields: clone([...fields.value, ...removed.value]) }
  }

  async function save() {
    const saved = await formsApi.saveDraft(formId, draft())
    const keepSelected = selected.value ? fields.value.indexOf(selected.value) : -1
    adopt(saved)
    if (keepSelected >= 0) selected.value = fields.value[keepSelected] ?? null
  }

  function add(type: FieldType, index = fields.value.length) {
    const field = createField(type)
    fields.value.splice(index, 0, field)
    selected.value = fields.value[index]
  }

  function move(from: number, to: number) {
    const [field] = fields.value.splice(from, 1)
    fields.value.splice(to, 0, field)
  }

  function duplicate(field: FieldMeta) {
    // The copy (and its columns) get keys of their own from their labels when saved.
    const copy = clone(toRaw(field))
    copy.key = ''
    for (const child of copy.fields ?? []) child.key = ''
    const index = fields.value.indexOf(field) + 1
    fields.value.splice(index, 0, copy)
    selected.value = fields.value[index]
  }

  function remove(field: FieldMeta) {
    const index = fields.value.indexOf(field)
    if (index < 0) return
    fields.value.splice(index, 1)
    if (selected.value === field) selected.value = null
  }

  /** Brings a removed field (and its kept data) back onto the canvas. */
  function restore(field: FieldMeta) {
    removed.value = removed.value.filter((f) => f !== field)
    const { removed: _gone, ...rest } = toRaw(field)
    fields.value.push(clone(rest))
  }

  /** Why a key cannot be used, as an i18n key, or '' when it is fine (none yet is fine: saving makes one). */
  function keyProblem(field: FieldMeta, siblings: FieldMeta[] = [...fields.value, ...removed.value]): string {
    if (!field.key) return ''
    if (!KEY_PATTERN.test(field.key)) return 'designer.keyInvalid'
    if (RESERVED_KEYS.has(field.key)) return 'designer.keyReserved'
    if (siblings.some((f) => f !== field && f.key === field.key)) return 'designer.keyTaken'
    return ''
  }

  const keyProblems = computed(() => {
    const out: FieldMeta[] = []
    for (const field of fields.value) {
      if (keyProblem(field)) out.push(field)
      for (const child of field.fields ?? []) if (keyProblem(child, field.fields)) out.push(child)
    }
    return out
  })

  /** Maps a refused draft's errors (fields.N..., fields.N.fields.M...) onto the fields. */
  function applyServerErrors(err: unknown) {
    serverProblems.value = []
    generalErrors.value = []
    if (!(err instanceof ApiError)) return
    const ordered = [...fields.value, ...removed.value]
    for (const [path, messages] of Object.entries(err.fieldErrors)) {
      const m = /^fields\.(\d+)(?:\.fields\.(\d+))?/.exec(path)
      const field = m ? ordered[Number(m[1])] : undefined
      if (!field) {
        generalErrors.value.push(...messages.map((msg) => (path === '_body' || path === '_schema' ? msg : `${path}: ${msg}`)))
        continue
      }
      const child = m && m[2] !== undefined ? field.fields?.[Number(m[2])] : undefined
      serverProblems.value.push({ field, child, path, messages })
    }
    if (!serverProblems.value.length && !generalErrors.value.length && err.message) generalErrors.value.push(err.message)
  }

  function clearServerErrors() {
    serverProblems.value = []
    generalErrors.value = []
  }

  const problemsOf = (field: FieldMeta) => serverProblems.value.filter((p) => p.field === field)

  return {
    form,
    fields,
    removed,
    selected,
    dirty,
    serverProblems,
    generalErrors,
    keyProblems,
    load,
    save,
    add,
    move,
    duplicate,
    remove,
    restore,
    keyProblem,
    applyServerErrors,
    clearServerErrors,
    problemsOf,
  }
}

export type Designer = ReturnType<typeof useDesigner>
