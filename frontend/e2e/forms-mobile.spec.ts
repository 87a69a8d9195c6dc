import { readFileSync } from 'node:fs'
import { expect, test } from './tenant'
import { isPhone } from './console'
import { apiLogin, publishedForm } from './api'

const batchForm = JSON.parse(readFileSync(new URL('./fixtures/batch-form.json', import.meta.url), 'utf8')) as unknown

test('a clerk fills the Batch form on the phone, sees mistakes on the fields, then saves', async ({ page, admin }, info) => {
  test.skip(!isPhone(info), 'the /m app is for phones; the desktop fills the form in the console (forms.spec.ts)')
  const session = await apiLogin(page, admin)
  const formId = await publishedForm(session, `mbatch_${Date.now().toString(36)}`, { zh: '批次', en: 'Batch' }, batchForm)

  await page.goto(`/m/forms/${formId}/new`)
  await expect(page.getByTestId('m-record-title')).toContainText('批次')
  await expect(page.getByTestId('m-field-damage_note')).toHaveCount(0)

  await page.getByTestId('m-field-qty').locator('input').fill('-3')
  await page.getByTestId('m-field-damaged-switch').click()
  await expect(page.getByTestId('m-field-damage_note')).toBeVisible()
  await page.getByTestId('m-record-submit').click()
  await expect(page.getByTestId('m-field-batch_no').locator('.van-field__error-message')).toBeVisible()
  await expect(page.getByTestId('m-field-qty').locator('.van-field__error-message')).toBeVisible()
  await expect(page.getByTestId('m-field-damage_note').locator('.van-field__error-message')).toBeVisible()

  await page.getByTestId('m-field-batch_no').locator('input').fill('M-001')
  await page.getByTestId('m-field-warehouse-option-wh2').click()
  await page.getByTestId('m-field-production_date-input').fill('2026-02-01')
  await page.getByTestId('m-field-qty').locator('input').fill('7')
  await page.getByTestId('m-field-unit_price').locator('input').fill('3.5')
  await page.getByTestId('m-field-damage_note').locator('textarea').fill('Wet carton')
  await page.getByTestId('m-field-lines-add').click()
  await page.getByTestId('m-field-lines-0-sku').locator('input').fill('SKU-9')
  await page.getByTestId('m-record-submit').click()
  await expect(page).toHaveURL(new RegExp(`/m/forms/${formId}/records/\\d+$`))

  const recordId = Number(/records\/(\d+)$/.exec(page.url())![1])
  const saved = await (await session.request.get(`/api/v1/forms/${formId}/records/${recordId}`)).json()
  expect(saved).toMatchObject({ batch_no: 'M-001', warehouse: 'wh2', production_date: '2026-02-01', qty: 7, damaged: true, damage_note: 'Wet carton' })
  expect(saved.lines).toHaveLength(1)
  expect(saved.lines[0].sku).toBe('SKU-9')
  await expect(page.getByTestId('m-field-batch_no').locator('input')).toHaveValue('M-001')

  // The console's record list works on the phone too.
  await page.goto(`/records/${formId}`)
  await expect(page.getByTestId('records-table').locator('tr', { hasText: 'M-001' })).toContainText('二号仓')
})
