import { expect, test } from './tenant'
import { chooseLocale, isPhone, login } from './console'
import { apiLogin, read, write } from './api'

/**
 * The audit log as an administrator reads it: a role renamed shows as "角色 · 内审" with
 * "名称: 审计员 → 内审", never a table name or raw JSON; the title narrows the log to that
 * role's history; the raw change data is only behind the row's details; in English the same
 * entry reads "Role", "Name", "Changed". A screenshot is kept as a test artifact.
 */
test('a change reads as what, which one and each field before and after', async ({ page, admin }, info) => {
  test.skip(isPhone(info), 'the audit log is an administrator page of the console')
  await login(page, admin)
  const session = await apiLogin(page, admin)
  const role = await write<{ id: number }>(session, 'post', '/roles', { code: 'auditors', name: '审计员', permissions: ['audit.read'] })
  await write(session, 'patch', `/roles/${role.id}`, { name: '内审' })
  const entries = (await read<{ items: { id: number; action: string; object_type: string }[] }>(session, `/audit?object_type=roles&object_id=${role.id}`)).items
  const renamed = entries.find((e) => e.action === 'update')!

  await page.goto('/admin/audit') // the console speaks Chinese by default
  const table = page.getByTestId('audit-table')
  await expect(page.getByTestId(`audit-object-${renamed.id}`)).toHaveText('角色')
  await expect(page.getByTestId(`audit-title-${renamed.id}`)).toHaveText('内审')
  const changes = page.getByTestId(`audit-changes-${renamed.id}`)
  await expect(changes).toContainText('名称')
  await expect(changes).toContainText('审计员')
  await expect(changes).toContainText('内审')
  await expect(table).not.toContainText('"name"') // no raw JSON on the row
  await expect(table).not.toContainText('api_tokens')
  await page.screenshot({ path: info.outputPath('audit-log.png'), fullPage: true })
  await info.attach('audit-log', { path: info.outputPath('audit-log.png'), contentType: 'image/png' })

  // the title narrows the log to this role; "show all" goes back
  await page.getByTestId(`audit-title-${renamed.id}`).click()
  await expect(page.getByTestId('audit-show-all')).toBeVisible()
  await expect(table.locator('.el-table__row')).toHaveCount(entries.length)
  // the raw change data is behind the row's details
  await table.locator('.el-table__row').filter({ has: page.getByTestId(`audit-object-${renamed.id}`) }).locator('.el-table__expand-icon').click()
  await expect(page.getByTestId(`audit-details-${renamed.id}`)).toContainText('"name"')
  await page.getByTestId('audit-show-all').click()
  await expect(page.getByTestId('audit-show-all')).toBeHidden()

  await chooseLocale(page, 'en')
  await expect(page.getByTestId(`audit-object-${renamed.id}`)).toHaveText('Role')
  await expect(page.getByTestId(`audit-changes-${renamed.id}`)).toContainText('Name')
})
