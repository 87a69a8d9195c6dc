import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick, ref } from 'vue'
import { ApiError } from '@/api/errors'
import { i18n } from '@/i18n'
import { resetFeedback, told } from '@/testing/elementPlusFeedback'
import { runInComponent, unmountAll } from '@/testing/headlessComponent'
import { useFormDialog } from './useFormDialog'

vi.mock('element-plus', () => import('@/testing/elementPlusFeedback'))

function dialog(initiallyOpen = false) {
  const open = ref(initiallyOpen)
  const form = { name: 'left over' }
  const result = runInComponent(() => useFormDialog(open, () => Object.assign(form, { name: '' })), [i18n])
  return { open, form, result }
}

const refusal = new ApiError(422, {
  code: 'validation_error',
  message: 'Some fields are invalid',
  errors: { name: ['Already taken'] },
})

describe('a create / edit dialog', () => {
  afterEach(() => {
    unmountAll()
    resetFeedback()
  })

  it('starts from a fresh form, without old errors, each time it opens', async () => {
    const d = dialog()
    d.result.setError('name', 'Already taken')
    d.open.value = true
    await nextTick()
    expect(d.form.name).toBe('')
    expect(d.result.errors).toEqual({})
  })

  it('closes and hands over what the server saved', async () => {
    const d = dialog(true)
    const saved: string[] = []
    await d.result.submit(async () => 'saved row', (row) => saved.push(row), 'Created')
    expect(saved).toEqual(['saved row'])
    expect(told).toEqual([{ kind: 'success', message: 'Created' }])
    expect(d.open.value).toBe(false)
    expect(d.result.saving.value).toBe(false)
  })

  it('stays open with the server’s field errors beside the fields when refused', async () => {
    const d = dialog(true)
    const saved: unknown[] = []
    const pending = d.result.submit(() => Promise.reject(refusal), (row) => saved.push(row))
    expect(d.result.saving.value).toBe(true)
    await pending
    expect(d.open.value).toBe(true)
    expect(saved).toEqual([])
    expect(d.result.errors).toEqual({ name: 'Already taken' })
    expect(told).toEqual([{ kind: 'error', message: 'Some fields are invalid' }])
    expect(d.result.saving.value).toBe(false)
  })

  it('clears the last refusal’s errors when the user saves again', async () => {
    const d = dialog(true)
    await d.result.submit(() => Promise.reject(refusal), () => undefined)
    await d.result.submit(async () => 'ok', () => undefined)
    expect(d.result.errors).toEqual({})
  })

  it('does not pass the browser checks before its form is drawn', async () => {
    const d = dialog(true)
    expect(await d.result.validate()).toBe(false)
  })

  it('marks a required field with the translated message', () => {
    const d = dialog()
    expect(d.result.required()).toEqual([{ required: true, message: i18n.global.t('errors.required'), trigger: 'blur' }])
  })
})
