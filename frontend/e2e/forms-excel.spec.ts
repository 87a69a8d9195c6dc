import { readFileSync } from 'node:fs'
import { expect, test } from './tenant'
import { isPhone } from './console'
import { apiLogin, createRecord, endpointExists, publishedForm } from './api'

const batchForm = JSON.parse(readFileSync(new URL('./fixtures/batch-form.json', import.meta.url), 'utf8')) as unknown

test.describe('Excel import and export from the record list', () => {
  test.beforeEach(({}, info) => {
    test.skip(isPhone(info), 'the record list tools are exercised on the desktop')
  })

  test('a user checks a file, imports it, sees the bad row, and downloads template and export', async ({ page, admin }) => {
    const session = await apiLogin(page, admin)
    const formId = await publishedForm(session, `xbatch_${Date.now().toString(36)}`, { zh: '批次', en: 'Batch' }, batchForm)
    test.skip(!(await endpointExists(session, `/forms/${formId}/excel/template`)), 'the Excel endpoints are not on this server yet')
    await createRecord(session, formId, { batch_no: 'X-000', warehouse: 'wh1', qty: 1 })

    await page.goto(`/records/${formId}`)
    await expect(page.getByTestId('records-table').locator('tr', { hasText: 'X-000' })).toBeVisible()

    const template = page.waitForEvent('download')
    await page.getByTestId('records-template').click()
    expect((await template).suggestedFilename()).toMatch(/\.xlsx$/)

    await page.getByTestId('records-import').click()
    const dialog = page.getByTestId('import-dialog')
    const workbook = readFileSync(new URL('./fixtures/batches-1000.xlsx', import.meta.url))
    const file = { name: 'batches-1000.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: workbook }
    await dialog.getByTestId('import-file').locator('input[type=file]').setInputFiles(file)
    await dialog.getByTestId('import-dry-run').click()
    await expect(dialog.getByTestId('import-progress')).toBeVisible()
    // 1,000 rows, three of them wrong: spreadsheet rows 102, 502 and 902.
    const errors = dialog.getByTestId('import-errors')
    await expect(errors).toContainText('102')
    await expect(errors).toContainText('502')
    await expect(errors).toContainText('902')
    await expect(dialog.getByTestId('import-job')).toContainText('997')
    await expect(dialog.getByTestId('import-download-errors')).toBeVisible()

    await dialog.getByTestId('import-start').click()
    await expect(dialog.getByTestId('import-job')).toContainText('997')
    await expect(errors).toContainText('902')
    await dialog.getByRole('button', { name: /关闭|Close/ }).last().click()
    await expect(page.getByTestId('records-total')).toHaveText(/(Total|共) 998/)
    await expect(page.getByTestId('records-table').locator('tr', { hasText: 'X-000' })).toBeVisible()

    await page.getByTestId('records-export').click()
    const exported = page.waitForEvent('download')
    await page.getByTestId('records-export-csv').click()
    expect((await exported).suggestedFilename()).toMatch(/\.csv$/)
  })

  test('selected records are deleted after confirming, and Undo brings them back', async ({ page, admin }) => {
    const session = await apiLogin(page, admin)
    const formId = await publishedForm(session, `dbatch_${Date.now().toString(36)}`, { zh: '批次', en: 'Batch' }, batchForm)
    await createRecord(session, formId, { batch_no: 'D-001' })
    await createRecord(session, formId, { batch_no: 'D-002' })

    await page.goto(`/records/${formId}`)
    const table = page.getByTestId('records-table')
    await table.locator('tr', { hasText: 'D-001' }).locator('.el-checkbox').click()
    await page.getByTestId('records-bulk-delete').click()
    await page.locator('.el-message-box__btns .el-button--danger').click()
    await expect(table.locator('tr', { hasText: 'D-001' })).toHaveCount(0)
    await page.getByTestId('records-undo').click()
    await expect(table.locator('tr', { hasText: 'D-001' })).toBeVisible()
    await expect(table.locator('tr', { hasText: 'D-002' })).toBeVisible()
  })
})
