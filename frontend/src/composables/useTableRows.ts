/**
 * The rows of a console table: fetched with a loading flag while the request runs; a failed
 * fetch is shown to the user and leaves the rows already on screen. The paged variant also
 * keeps the total and goes back to page 1 when a filter changes.
 */
import { ref, type Ref } from 'vue'
import type { Page } from '@/api/types'
import { useNotify } from './useNotify'

export function useTableRows<T>(fetch: () => Promise<{ items: T[]; total?: number }>) {
  const notify = useNotify()
  const rows = ref([]) as Ref<T[]>
  const total = ref(0)
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    try {
      const page = await fetch()
      rows.value = page.items
      total.value = page.total ?? page.items.length
    } catch (err) {
      notify.error(err)
    } finally {
      loading.value = false
    }
  }

  return { rows, total, loading, load }
}

export interface PageQuery {
  page: number
  page_size: number
}

/** `query` is the page and the filters the user set; `fetch` asks the server for that page. */
export function usePagedTableRows<T, Q extends PageQuery>(query: Q, fetch: (query: Q) => Promise<Page<T>>) {
  const table = useTableRows(() => fetch(query))

  /** Loads page 1 again: what to call when a filter or the page size changes. */
  function search(): Promise<void> {
    query.page = 1
    return table.load()
  }

  return { ...table, search }
}
