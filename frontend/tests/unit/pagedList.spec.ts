import { describe, expect, it, vi } from 'vitest'
import type { Page } from '@/api/types'
import { MOBILE_PAGE_SIZE, usePagedList } from '@/views/mobile/usePagedList'

/** A server holding `count` numbered rows, paged as the API pages them; it records each ask. */
function server(count: number) {
  const rows = Array.from({ length: count }, (_, i) => i + 1)
  const asked: { page: number; size: number }[] = []
  const fetchPage = vi.fn(async (page: number, size: number): Promise<Page<number>> => {
    asked.push({ page, size })
    return { items: rows.slice((page - 1) * size, page * size), total: rows.length, page, page_size: size }
  })
  return { rows, asked, fetchPage }
}

/** A fetch that answers only when the test says so. */
function held<T>() {
  let answer!: (page: Page<T>) => void
  const promise = new Promise<Page<T>>((resolve) => {
    answer = resolve
  })
  return { promise, answer }
}

describe('a phone list that loads as the person scrolls', () => {
  it('asks for 20 rows at a time and stops at the end', async () => {
    const api = server(45)
    const list = usePagedList(api.fetchPage)
    expect(list.loaded.value).toBe(false)

    await list.loadMore()
    expect(list.items.value).toEqual(api.rows.slice(0, 20))
    expect(list.loaded.value).toBe(true)
    expect(list.finished.value).toBe(false)
    expect(list.total.value).toBe(45)

    await list.loadMore()
    await list.loadMore()
    expect(list.items.value).toEqual(api.rows)
    expect(list.finished.value).toBe(true)
    expect(list.loading.value).toBe(false)
    expect(api.asked).toEqual([1, 2, 3].map((page) => ({ page, size: MOBILE_PAGE_SIZE })))

    await list.loadMore()
    expect(api.asked).toHaveLength(3)
  })

  it('is finished at once when everything fits on the first page, or there is nothing', async () => {
    for (const count of [0, 7, 20]) {
      const list = usePagedList(server(count).fetchPage)
      await list.loadMore()
      expect(list.items.value).toHaveLength(count)
      expect(list.finished.value, `${count} rows`).toBe(true)
    }
  })

  it('asks once when the end of the list is reached twice before the page comes', async () => {
    const api = server(45)
    const list = usePagedList(api.fetchPage)
    // van-list turns `loading` on itself before it asks
    list.loading.value = true
    await Promise.all([list.loadMore(), list.loadMore()])
    expect(api.asked).toHaveLength(1)
    expect(list.items.value).toHaveLength(20)
  })

  it('starts again from the first page on reload, dropping the rows or keeping them until it comes', async () => {
    const api = server(45)
    const list = usePagedList(api.fetchPage)
    await list.loadMore()
    await list.loadMore()

    const refreshing = list.reload({ keep: true })
    expect(list.items.value).toHaveLength(40)
    await refreshing
    expect(list.items.value).toEqual(api.rows.slice(0, 20))

    const another = list.reload()
    expect(list.items.value).toEqual([])
    expect(list.loaded.value).toBe(false)
    await another
    expect(list.items.value).toEqual(api.rows.slice(0, 20))
    await list.loadMore()
    expect(api.asked.at(-1)).toEqual({ page: 2, size: MOBILE_PAGE_SIZE })
  })

  it('drops a page asked for before a reload', async () => {
    const late = held<string>()
    const list = usePagedList<string>((page) =>
      page === 1 ? Promise.resolve({ items: Array(20).fill('first'), total: 40, page, page_size: 20 }) : late.promise,
    )
    await list.loadMore()
    // the second page is on its way when the person switches tab
    const pending = list.loadMore()
    const switched = list.reload()
    late.answer({ items: Array(20).fill('stale'), total: 40, page: 2, page_size: 20 })
    await Promise.all([pending, switched])
    expect(list.items.value).toEqual(Array(20).fill('first'))
    expect(list.loading.value).toBe(false)
  })

  it('says a page failed, keeps the rows it had, and tries the same page again', async () => {
    const api = server(45)
    let down = false
    const onError = vi.fn()
    const list = usePagedList((page, size) => (down ? Promise.reject(new Error('offline')) : api.fetchPage(page, size)), { onError })
    await list.loadMore()
    down = true
    await list.loadMore()
    expect(list.failed.value).toBe(true)
    expect(list.loading.value).toBe(false)
    expect(onError).toHaveBeenCalledWith(new Error('offline'))
    expect(list.items.value).toHaveLength(20)

    down = false
    await list.loadMore()
    expect(list.failed.value).toBe(false)
    expect(list.items.value).toEqual(api.rows.slice(0, 40))
  })
})
