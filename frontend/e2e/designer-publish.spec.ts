import { expect, test } from './tenant'
import { isPhone } from './console'
import { apiLogin } from './api'
import { dragTo } from './designer'

test('publishing shows the server problems on their fields, and removed fields stay listed with their data', async ({ page, admin }, info) => {
  test.skip(isPhone(info), 'designing is done on a desktop')
  const session = await apiLogin(page, admin)
  const key = `stock_${Date.now().toString(36)}`
  const headers = { 'X-CSRF-Token': session.csrf }
  const app = await (await session.request.post('/api/v1/apps', { data: { key: `app_${key}`, label: { zh: '库存' } }, headers })).json()
  const draft = {
    fields: [
      { key: 'sku', type: 'text', label: { zh: 'SKU' } },
      { key: 'grade', type: 'select', label: { zh: '等级' }, options: [] },
      { key: 'note', type: 'text', label: { zh: '备注' } },
    ],
  }
  const form = await (await session.request.post(`/api/v1/apps/${app.id}/forms`, { data: { key, label: { zh: '库存' }, draft }, headers })).json()

  await page.goto(`/apps/forms/${form.id}/design`)
  // Reorder: SKU dragged below the other fields.
  await dragTo(page, page.getByTestId('canvas-field-sku'), page.getByTestId('designer-canvas-list'))
  const order = page.locator('[data-testid="designer-canvas-list"] > [data-uid]')
  await expect(order.first()).toHaveAttribute('data-testid', 'canvas-field-grade')
  await expect(order.last()).toHaveAttribute('data-testid', 'canvas-field-sku')
  await page.getByTestId('designer-publish').click()
  const dialog = page.getByTestId('publish-dialog')
  await expect(dialog.getByTestId('publish-errors')).toBeVisible()
  await dialog.getByTestId('publish-error-grade').click()
  await expect(page.getByTestId('canvas-field-grade').locator('.gs-canvas-field')).toHaveClass(/is-selected/)
  await expect(page.getByTestId('prop-problems')).toBeVisible()

  // Fixed: an option, and the note dropped before the first version.
  await page.getByTestId('prop-options-add').click()
  await page.getByTestId('canvas-field-note').getByTestId('canvas-field-remove').click()
  await page.getByTestId('designer-publish').click()
  await expect(dialog.getByTestId('publish-version')).toContainText('1')
  await dialog.getByTestId('publish-confirm').click()
  await expect(page.getByTestId('designer-version')).toContainText('v1')

  // Removing a published field keeps its data: it is listed apart, greyed, and can come back.
  await page.getByTestId('canvas-field-grade').getByTestId('canvas-field-remove').click()
  await page.getByTestId('designer-publish').click()
  // the dialog names the field by its label, never by its key
  await expect(dialog.getByTestId('publish-diff-removed')).toContainText('等级')
  await expect(dialog.getByTestId('publish-diff-removed')).not.toContainText('grade')
  await dialog.getByTestId('publish-confirm').click()
  await expect(page.getByTestId('designer-version')).toContainText('v2')
  await expect(page.getByTestId('removed-field-grade')).toBeVisible()
  await expect(page.getByTestId('canvas-field-grade')).toHaveCount(0)
})
