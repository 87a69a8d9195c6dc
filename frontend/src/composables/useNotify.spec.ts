import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import { i18n } from '@/i18n'
import { answerConfirm, resetFeedback, told } from '@/testing/elementPlusFeedback'
import { runInComponent, unmountAll } from '@/testing/headlessComponent'
import { useNotify } from './useNotify'

vi.mock('element-plus', () => import('@/testing/elementPlusFeedback'))

const inUse = new ApiError(409, { code: 'conflict', message: 'The role still has users', errors: {} })

describe('asking before a change', () => {
  afterEach(() => {
    unmountAll()
    resetFeedback()
  })

  const notify = () => runInComponent(useNotify, [i18n])

  it('makes the change and says so when the user agrees', async () => {
    const removed: number[] = []
    const done = await notify().confirmThen('Delete role Ops?', async () => removed.push(7), 'Deleted')
    expect(done).toBe(true)
    expect(removed).toEqual([7])
    expect(told).toEqual([
      { kind: 'confirm', message: 'Delete role Ops?' },
      { kind: 'success', message: 'Deleted' },
    ])
  })

  it('changes nothing when the user cancels', async () => {
    answerConfirm(false)
    const removed: number[] = []
    const done = await notify().confirmThen('Delete role Ops?', async () => removed.push(7), 'Deleted')
    expect(done).toBe(false)
    expect(removed).toEqual([])
    expect(told).toEqual([{ kind: 'confirm', message: 'Delete role Ops?' }])
  })

  it('shows the server’s reason when the change is refused', async () => {
    const done = await notify().confirmThen('Delete role Ops?', () => Promise.reject(inUse), 'Deleted')
    expect(done).toBe(false)
    expect(told).toEqual([
      { kind: 'confirm', message: 'Delete role Ops?' },
      { kind: 'error', message: 'The role still has users' },
    ])
  })
})
