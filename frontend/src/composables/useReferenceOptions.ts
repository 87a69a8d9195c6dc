/**
 * Pick lists for user, department and relation fields: search by text, and a name for an
 * id already chosen. Relation fields show the target form's display field. A page that
 * already has the names of its record's ids (a flow task) provides them with
 * `provideKnownTitles`; the inputs below it name those ids without asking the server.
 */
import { hasInjectionContext, inject, provide, ref, type InjectionKey, type Ref } from 'vue'
import { departmentsApi, usersApi } from '@/api/admin'
import { formsApi, recordsApi } from '@/api/forms'
import type { FieldMeta, FormItem } from '@/api/formTypes'

export interface RefOption {
  value: number
  label: string
}

/** Field key -> id -> the name people read for it. */
export type KnownTitles = Record<string, Record<string, string>>

export const KNOWN_TITLES: InjectionKey<Readonly<Ref<KnownTitles>>> = Symbol('known titles')

/** Lets the reference inputs below the calling component name these ids as given. */
export function provideKnownTitles(titles: Readonly<Ref<KnownTitles>>): void {
  provide(KNOWN_TITLES, titles)
}

let formsCache: Promise<FormItem[]> | null = null

/** The tenant's forms, fetched once per page load (relation fields look targets up by key). */
function allForms(): Promise<FormItem[]> {
  formsCache ??= formsApi.list().then((r) => r.items).catch((err) => {
    formsCache = null
    throw err
  })
  return formsCache
}

export function useReferenceOptions(field: FieldMeta) {
  const options = ref<RefOption[]>([])
  const loading = ref(false)
  const unavailable = ref(false)
  const known = hasInjectionContext() ? inject(KNOWN_TITLES, null) : null

  function remember(found: RefOption[]) {
    const byId = new Map(options.value.map((o) => [o.value, o]))
    for (const o of found) byId.set(o.value, o)
    options.value = [...byId.values()]
  }

  async function relationTarget(): Promise<FormItem | null> {
    const key = field.relation?.form
    return (await allForms()).find((f) => f.key === key && f.published_version !== null) ?? null
  }

  function relationLabel(record: Record<string, unknown>): string {
    const shown = record[field.relation?.display ?? '']
    return shown === null || shown === undefined || shown === '' ? `#${record.id}` : `${shown}`
  }

  async function search(text = ''): Promise<void> {
    loading.value = true
    try {
      if (field.type === 'user') {
        const page = await usersApi.list({ page: 1, page_size: 50, q: text.trim() || undefined })
        options.value = page.items.map((u) => ({ value: u.id, label: u.display_name || u.username }))
      } else if (field.type === 'department') {
        const list = (await departmentsApi.list()).items
        const needle = text.trim().toLowerCase()
        options.value = list.filter((d) => !needle || d.name.toLowerCase().includes(needle)).map((d) => ({ value: d.id, label: d.name }))
      } else {
        const target = await relationTarget()
        if (!target) {
          unavailable.value = true
          return
        }
        const display = field.relation?.display
        const filter = text.trim() && display ? JSON.stringify({ and: [{ contains: [{ var: display }, text.trim()] }] }) : undefined
        const page = await recordsApi.list(target.id, { page: 1, page_size: 50, filter })
        options.value = page.items.map((r) => ({ value: r.id, label: relationLabel(r) }))
      }
    } catch {
      unavailable.value = true
    } finally {
      loading.value = false
    }
  }

  /** Makes sure a chosen id has a label even when it is not among the last search results. */
  async function ensure(id: unknown): Promise<void> {
    if (typeof id !== 'number' || options.value.some((o) => o.value === id)) return
    const title = known?.value[field.key]?.[String(id)]
    if (title !== undefined) {
      remember([{ value: id, label: title }])
      return
    }
    try {
      if (field.type === 'relation') {
        const target = await relationTarget()
        if (target) remember([{ value: id, label: relationLabel(await recordsApi.get(target.id, id)) }])
      } else {
        await search('')
      }
    } catch {
      remember([{ value: id, label: `#${id}` }])
    }
  }

  return { options, loading, unavailable, search, ensure }
}
