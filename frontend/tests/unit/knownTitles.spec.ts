import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, ref } from 'vue'
import type { FieldMeta } from '@/api/formTypes'
import { KNOWN_TITLES, useReferenceOptions, type KnownTitles } from '@/composables/useReferenceOptions'

const api = vi.hoisted(() => ({
  formsList: vi.fn(),
  recordsGet: vi.fn(),
  usersList: vi.fn(),
  departmentsList: vi.fn(),
}))

vi.mock('@/api/forms', () => ({
  formsApi: { list: api.formsList },
  recordsApi: { get: api.recordsGet, list: vi.fn() },
}))
vi.mock('@/api/admin', () => ({
  usersApi: { list: api.usersList },
  departmentsApi: { list: api.departmentsList },
}))

const batch: FieldMeta = { key: 'batch', type: 'relation', label: '批次', relation: { form: 'batches', display: 'batch_no' } }
const owner: FieldMeta = { key: 'owner', type: 'user', label: '负责人' }

/** The pick list of a field as an input under a page that knows these titles sees it. */
function optionsUnder(titles: KnownTitles | null, field: FieldMeta) {
  const app = createApp({})
  if (titles) app.provide(KNOWN_TITLES, ref(titles))
  return app.runWithContext(() => useReferenceOptions(field))
}

beforeEach(() => {
  vi.clearAllMocks()
  api.formsList.mockResolvedValue({ items: [{ id: 7, key: 'batches', published_version: 1 }] })
})

describe('a chosen id under a page that knows its title', () => {
  it('is named without asking the server', async () => {
    const titles = { batch: { '238': 'B-20260101' }, owner: { '5': '王芳' } }
    const relation = optionsUnder(titles, batch)
    await relation.ensure(238)
    expect(relation.options.value).toEqual([{ value: 238, label: 'B-20260101' }])
    const person = optionsUnder(titles, owner)
    await person.ensure(5)
    expect(person.options.value).toEqual([{ value: 5, label: '王芳' }])
    expect(api.formsList).not.toHaveBeenCalled()
    expect(api.recordsGet).not.toHaveBeenCalled()
    expect(api.usersList).not.toHaveBeenCalled()
  })

  it('is asked of the server when the page does not know it', async () => {
    api.recordsGet.mockResolvedValue({ id: 239, batch_no: 'B-20260102' })
    const relation = optionsUnder({ batch: { '238': 'B-20260101' } }, batch)
    await relation.ensure(239)
    expect(api.recordsGet).toHaveBeenCalledWith(7, 239)
    expect(relation.options.value).toEqual([{ value: 239, label: 'B-20260102' }])
  })

  it('reads as #id only when no one can name it', async () => {
    api.recordsGet.mockRejectedValue(new Error('forbidden'))
    const relation = optionsUnder(null, batch)
    await relation.ensure(240)
    expect(relation.options.value).toEqual([{ value: 240, label: '#240' }])
  })
})
