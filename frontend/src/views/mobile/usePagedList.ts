/**
 * A phone list that loads a page at a time as the person scrolls (Vant's `van-list` calls
 * `loadMore` when its end comes into view): the rows so far, whether more are coming, and
 * `reload` for pull-to-refresh or another filter. It only pages; what a page is, and what a
 * failure says to the person, belong to the caller.
 */
import { ref, type Ref } from 'vue'
import type { Page } from '@/api/types'

export const MOBILE_PAGE_SIZE = 20

export type PageFetcher<T> = (page: number, pageSize: number) => Promise<Page<T>>

export interface PagedList<T> {
  items: Ref<T[]>
  /** rows on the server, as the last page said */
  total: Ref<number>
  /** a page is on its way (van-list's v-model:loading) */
  loading: Ref<boolean>
  /** every row is here (van-list's `finished`) */
  finished: Ref<boolean>
  /** the last page failed; van-list offers to try again (v-model:error) */
  failed: Ref<boolean>
  /** the first page has come (or failed): until then the list shows its skeleton */
  loaded: Ref<boolean>
  loadMore: () => Promise<void>
  /**
   * Starts again from the first page. `keep` leaves the rows shown until it comes (pull to
   * refresh); without it they go at once (another tab, another filter).
   */
  reload: (options?: { keep?: boolean }) => Promise<void>
}

export function usePagedList<T>(
  fetchPage: PageFetcher<T>,
  options: { pageSize?: number; onError?: (err: unknown) => void } = {},
): PagedList<T> {
  const pageSize = options.pageSize ?? MOBILE_PAGE_SIZE
  // deep, so a row changed in place (a claimed to-do) shows at once
  const items = ref([]) as Ref<T[]>
  const total = ref(0)
  const loading = ref(false)
  const finished = ref(false)
  const failed = ref(false)
  const loaded = ref(false)
  let lastPage = 0
  /** bumped by reload: a page asked for before it is dropped when it comes */
  let generation = 0
  let inFlight: Promise<void> | null = null

  async function fetchNext(replace: boolean): Promise<void> {
    const mine = generation
    const wanted = replace ? 1 : lastPage + 1
    loading.value = true
    try {
      const page = await fetchPage(wanted, pageSize)
      if (mine !== generation) return
      lastPage = wanted
      items.value = replace ? page.items : [...items.value, ...page.items]
      total.value = page.total
      failed.value = false
      finished.value = page.items.length < pageSize || items.value.length >= page.total
    } catch (err) {
      if (mine !== generation) return
      failed.value = true
      options.onError?.(err)
    } finally {
      if (mine === generation) {
        loading.value = false
        loaded.value = true
      }
    }
  }

  function track(request: Promise<void>): Promise<void> {
    const current: Promise<void> = request.finally(() => {
      if (inFlight === current) inFlight = null
    })
    inFlight = current
    return current
  }

  function loadMore(): Promise<void> {
    // van-list sets `loading` itself before it asks, so only a page really on its way counts
    if (inFlight) return inFlight
    if (finished.value) {
      loading.value = false
      return Promise.resolve()
    }
    return track(fetchNext(false))
  }

  function reload({ keep = false }: { keep?: boolean } = {}): Promise<void> {
    generation += 1
    finished.value = false
    failed.value = false
    if (!keep) {
      items.value = []
      total.value = 0
      loaded.value = false
      lastPage = 0
    }
    return track(fetchNext(true))
  }

  return { items, total, loading, finished, failed, loaded, loadMore, reload }
}
