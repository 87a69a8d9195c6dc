import { readFile } from 'node:fs/promises'
import { expect, test } from './tenant'
import { login } from './console'
import { apiLogin } from './api'

/**
 * The apps page's template gallery and packages: install the near-expiry template (without
 * its demo data, a hundred thousand records a worker takes minutes to write), then export
 * that app and try importing the file back, which the preview refuses since the app is there.
 */
test('a template installs from the gallery, then exports and previews an import', async ({ page, admin }) => {
  await login(page, admin)
  const session = await apiLogin(page, admin)
  // demo data needs the demo organisation's people: an install asking for it without them
  // is refused up front, naming them
  const refused = await session.request.post('/api/v1/templates/expiry_disposal/install', {
    data: { demo: true },
    headers: { 'X-CSRF-Token': session.csrf },
  })
  expect(refused.status()).toBe(409)
  expect(((await refused.json()) as { usernames: string[] }).usernames.length).toBeGreaterThan(0)
  const preview = await session.request.get('/api/v1/templates/expiry_disposal/preview')
  const firstForm = ((await preview.json()) as { create: { forms: { key: string; label: { zh: string } }[] } }).create.forms[0]
  await page.goto('/apps')

  await page.getByTestId('template-gallery-open').click()
  const gallery = page.getByTestId('template-gallery')
  const card = gallery.getByTestId('template-expiry_disposal')
  await expect(card).toContainText('临期品绿色处置')
  await card.getByTestId('template-expiry_disposal-choose').click()
  await expect(gallery.getByTestId('package-create-forms')).toContainText(firstForm.label.zh)
  await expect(gallery.getByTestId('template-demo').locator('input')).not.toBeChecked()
  await gallery.getByTestId('template-install').click()
  await expect(gallery.getByTestId('template-progress')).toBeVisible()
  await expect(gallery.getByTestId('template-show-app')).toBeVisible({ timeout: 30_000 })
  await gallery.getByTestId('template-show-app').click()
  const app = page.getByTestId('app-expiry_disposal')
  await expect(app).toBeVisible()
  await expect(app.getByTestId(`form-${firstForm.key}`)).toBeVisible()

  await app.getByTestId('app-expiry_disposal-export').click()
  const downloading = page.waitForEvent('download')
  await page.getByTestId('app-expiry_disposal-export-app').click()
  const file = await (await downloading).path()
  const exported = JSON.parse(await readFile(file!, 'utf-8'))
  expect(exported.format).toBe('greenshelf.app/1')

  await page.getByTestId('app-import-open').click()
  await page.getByTestId('app-import-file').setInputFiles(file!)
  const problems = page.getByTestId('package-preview').getByTestId('package-problems')
  await expect(problems).toContainText('临期品绿色处置')
  await expect(page.getByTestId('app-import-submit')).toBeDisabled()
})
