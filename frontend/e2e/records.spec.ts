import { expect, test } from './tenant'
import { isPhone } from './console'
import { apiLogin, createRecord, publishedForm } from './api'
import { textBox } from './designer'

const label = { zh: '收货', en: 'Receipt' }
const draft = {
  fields: [
    { key: 'ref', type: 'text', label: { zh: '单号', en: 'Reference' }, required: true },
    { key: 'qty', type: 'integer', label: { zh: '数量', en: 'Quantity' } },
    { key: 'files', type: 'attachment', label: { zh: '附件', en: 'Files' }, max_files: 3 },
  ],
}

test.describe('one record in the console', () => {
  test.beforeEach(({}, info) => {
    test.skip(isPhone(info), 'record pages are exercised on the desktop; the phone has its own form')
  })

  test('a record changed by someone else meanwhile is not overwritten; Reload shows their version', async ({ page, admin }) => {
    const session = await apiLogin(page, admin)
    const formId = await publishedForm(session, `rcpt_${Date.now().toString(36)}`, label, draft)
    const record = await createRecord(session, formId, { ref: 'R-1', qty: 1 })

    await page.goto(`/records/${formId}/${record.id}`)
    await expect(textBox(page.getByTestId('input-ref'))).toHaveValue('R-1')
    const other = await session.request.patch(`/api/v1/forms/${formId}/records/${record.id}`, {
      data: { row_version: 1, values: { qty: 9 } },
      headers: { 'X-CSRF-Token': session.csrf },
    })
    expect(other.ok()).toBeTruthy()

    await textBox(page.getByTestId('input-qty')).fill('2')
    await page.getByTestId('record-save').click()
    await expect(page.getByTestId('record-conflict')).toBeVisible()
    await page.getByTestId('record-reload').click()
    await expect(page.getByTestId('record-conflict')).toBeHidden()
    await expect(textBox(page.getByTestId('input-qty'))).toHaveValue('9')
  })

  test('a file attached while entering a record is saved with it', async ({ page, admin }) => {
    const session = await apiLogin(page, admin)
    const formId = await publishedForm(session, `rcptf_${Date.now().toString(36)}`, label, draft)

    await page.goto(`/records/${formId}/new`)
    await textBox(page.getByTestId('input-ref')).fill('R-2')
    await page.getByTestId('input-files').locator('input[type=file]').setInputFiles({ name: 'delivery-note.txt', mimeType: 'text/plain', buffer: Buffer.from('signed') })
    await expect(page.getByTestId('field-files')).toContainText('delivery-note.txt')
    await page.getByTestId('record-save').click()
    await expect(page).toHaveURL(new RegExp(`/records/${formId}$`))

    const list = await (await session.request.get(`/api/v1/forms/${formId}/records`)).json()
    expect(list.items[0].files).toEqual([expect.objectContaining({ name: 'delivery-note.txt' })])
  })
})
