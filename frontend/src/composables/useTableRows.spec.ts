import { afterEach, describe, expect, it, vi } from 'vitest'
import { reactive } from 'vue'
import { ApiError } from '@/api/errors'
import type { Page } from '@/api/types'
import { i18n } from '@/i18n'
import { resetFeedback, told } from '@/testing/elementPlusFeedback'
import { runInComponent, unmountAll } from '@/testing/headlessComponent'
import { usePagedTableRows, useTableRows } from './useTableRows'

vi.mock('element-plus', () => import('@/testing/elementPlusFeedback'))

const NAMES = ['ann', 'bob', 'cy', 'dee', 'eve']

/** A server of five names, paged and filtered by their first letters. */
async function namesPage(query: { page: number; page_size: number; q: string }): Promise<Page<string>> {
  const found = NAMES.filter((n) => n.startsWith(query.q))
  const start = (query.page - 1) * query.page_size
  return { items: found.slice(start, start + query.page_size), total: found.length, page: query.page, page_size: query.page_size }
}

const offline = new ApiError(503, { code: 'unavailable', message: 'The server is busy', errors: {} })

describe('the rows of a console table', () => {
  afterEach(() => {
    unmountAll()
    resetFeedback()
  })

  it('shows what the server sent, loading meanwhile', async () => {
    const table = runInComponent(() => useTableRows(async () => ({ items: ['ops', 'clerk'] })), [i18n])
    const loading = table.load()
    expect(table.loading.value).toBe(true)
    await loading
    expect(table.rows.value).toEqual(['ops', 'clerk'])
    expect(table.total.value).toBe(2)
    expect(table.loading.value).toBe(false)
  })

  it('keeps the rows on screen and says why when a reload fails', async () => {
    let fail = false
    const table = runInComponent(
      () => useTableRows(() => (fail ? Promise.reject(offline) : Promise.resolve({ items: ['ops'] }))),
      [i18n],
    )
    await table.load()
    fail = true
    await table.load()
    expect(table.rows.value).toEqual(['ops'])
    expect(table.loading.value).toBe(false)
    expect(told).toEqual([{ kind: 'error', message: 'The server is busy' }])
  })

  it('turns pages, and starts again at page 1 when the filter changes', async () => {
    const query = reactive({ page: 1, page_size: 2, q: '' })
    const table = runInComponent(() => usePagedTableRows(query, namesPage), [i18n])
    query.page = 3
    await table.load()
    expect(table.rows.value).toEqual(['eve'])
    expect(table.total.value).toBe(5)
    query.q = 'b'
    await table.search()
    expect(query.page).toBe(1)
    expect(table.rows.value).toEqual(['bob'])
    expect(table.total.value).toBe(1)
  })
})
