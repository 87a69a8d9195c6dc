import { expect, test } from './tenant'
import { isPhone, login } from './console'
import { apiLogin, createRecord } from './api'
import { choose, dropField, fillKey, textBox } from './designer'

test('a user designs a Batch form, publishes it, enters records and filters the list', async ({ page, admin }, info) => {
  test.skip(isPhone(info), 'designing is done on a desktop; the phone fills the form in forms-mobile.spec.ts')
  test.setTimeout(180_000)
  const suffix = Date.now().toString(36)
  const appKey = `inv_${suffix}`
  const formKey = `batch_${suffix}`

  await login(page, admin)
  await page.goto('/apps')
  await page.getByTestId('app-create').click()
  await page.getByTestId('app-form-zh').fill('库存')
  await page.getByTestId('app-form-en').fill('Inventory')
  await fillKey(page, 'app-form-key', appKey)
  await page.getByTestId('app-dialog-save').click()
  await page.getByTestId(`app-${appKey}-create-form`).click()
  await page.getByTestId('form-form-zh').fill('批次')
  await page.getByTestId('form-form-en').fill('Batch')
  await fillKey(page, 'form-form-key', formKey)
  await page.getByTestId('form-dialog-save').click()
  await expect(page.getByTestId('designer-canvas')).toBeVisible()
  await expect(page.getByTestId('form-dialog')).toBeHidden()
  const formId = Number(/forms\/(\d+)\/design/.exec(page.url())![1])

  // Drag nine field types from the palette and set each one up.
  await dropField(page, 'text', 'batch_no', '批号')
  await page.getByTestId('prop-required').click()
  await dropField(page, 'select', 'warehouse', '仓库')
  await textBox(page.getByTestId('prop-options-0-value')).fill('wh1')
  await textBox(page.getByTestId('prop-options-0-zh')).fill('一号仓')
  await textBox(page.getByTestId('prop-options-1-value')).fill('wh2')
  await textBox(page.getByTestId('prop-options-1-zh')).fill('二号仓')
  await dropField(page, 'date', 'production_date', '生产日期')
  await dropField(page, 'integer', 'qty', '数量')
  await textBox(page.getByTestId('prop-validations-min')).fill('0')
  await textBox(page.getByTestId('prop-validations-min')).blur()
  await dropField(page, 'money', 'unit_price', '单价')
  await dropField(page, 'switch', 'damaged', '有破损')
  await dropField(page, 'textarea', 'damage_note', '破损说明')
  // Linkage: the note is shown, and required, only when the batch is damaged.
  for (const rule of ['visible', 'required']) {
    await page.getByTestId(`prop-linkage-${rule}-add`).click()
    await choose(page, page.getByTestId(`prop-linkage-${rule}-row-0-field`), `prop-linkage-${rule}-row-0-field-option-damaged`)
  }
  await dropField(page, 'subtable', 'lines', '明细')
  const firstChild = page.getByTestId('prop-subfields-item-0')
  await firstChild.locator('.el-collapse-item__header').first().click()
  await fillKey(page, 'prop-subfields-0-key', 'sku')
  await textBox(page.getByTestId('prop-subfields-0-label-zh')).fill('SKU')
  await dropField(page, 'rating', 'quality', '品相')

  // Publish: the dialog lists the new fields.
  await page.getByTestId('designer-publish').click()
  const dialog = page.getByTestId('publish-dialog')
  await expect(dialog.getByTestId('publish-diff-added')).toContainText('破损说明')
  await expect(dialog.getByTestId('publish-diff-added')).not.toContainText('damage_note')
  await dialog.getByTestId('publish-confirm').click()
  await expect(page.getByTestId('designer-version')).toContainText('v1')

  // A record with mistakes: the errors are shown on the fields.
  await page.goto(`/records/${formId}`)
  await page.getByTestId('records-new').click()
  await expect(page.getByTestId('record-form')).toBeVisible()
  await expect(page.getByTestId('field-damage_note')).toBeHidden()
  await textBox(page.getByTestId('input-qty')).fill('-5')
  await page.getByTestId('input-damaged').click()
  await expect(page.getByTestId('field-damage_note')).toBeVisible()
  await page.getByTestId('record-save').click()
  await expect(page.getByTestId('field-batch_no').locator('.el-form-item__error')).toBeVisible()
  await expect(page.getByTestId('field-qty').locator('.el-form-item__error')).toBeVisible()
  await expect(page.getByTestId('field-damage_note').locator('.el-form-item__error')).toBeVisible()

  // Corrected, it saves.
  await textBox(page.getByTestId('input-batch_no')).fill('B-001')
  await choose(page, page.getByTestId('input-warehouse'), 'input-warehouse-option-wh1')
  await textBox(page.getByTestId('input-production_date')).fill('2026-01-15')
  await textBox(page.getByTestId('input-production_date')).press('Enter')
  await textBox(page.getByTestId('input-qty')).fill('5')
  await textBox(page.getByTestId('input-unit_price')).fill('12.50')
  await textBox(page.getByTestId('input-damage_note')).fill('Box crushed')
  await page.getByTestId('input-lines-add').click()
  await textBox(page.getByTestId('input-lines-0-sku')).fill('SKU-1')
  await page.getByTestId('record-save').click()
  await expect(page).toHaveURL(new RegExp(`/records/${formId}$`))
  const table = page.getByTestId('records-table')
  await expect(table.locator('tr', { hasText: 'B-001' })).toContainText('一号仓')

  // A second batch elsewhere, then the list filtered to warehouse 2.
  const session = await apiLogin(page, admin)
  await createRecord(session, formId, { batch_no: 'B-002', warehouse: 'wh2', qty: 3 })
  await page.reload()
  await expect(table.locator('tr', { hasText: 'B-002' })).toBeVisible()
  await page.getByTestId('records-filter').click()
  await page.getByTestId('filter-add').click()
  await choose(page, page.getByTestId('filter-row-0-field'), 'filter-row-0-field-option-warehouse')
  await choose(page, page.getByTestId('filter-row-0-value'), 'filter-row-0-value-option-wh2')
  await page.getByTestId('filter-apply').click()
  await expect(table.locator('tr', { hasText: 'B-002' })).toBeVisible()
  await expect(table.locator('tr', { hasText: 'B-001' })).toHaveCount(0)
})
