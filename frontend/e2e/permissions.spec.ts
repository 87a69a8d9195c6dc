/**
 * Menus, pages and calls by permission, and keys nobody types: a clerk who may only read and
 * write records sees just the menu entries he may use, and none of his pages asks the server
 * for something it refuses (no 403/404 in the browser console), on a desktop and on a phone;
 * a newcomer builds a form of four fields without ever seeing or typing a key.
 */
import type { Page, TestInfo } from '@playwright/test'
import { expect, test } from './tenant'
import { isPhone, login, type Credentials } from './console'
import { apiLogin, createRecord, publishedForm, write, type Session } from './api'
import { dropField } from './designer'

/** What the clerk's role allows, and so the entries his menu has (test ids). */
const CLERK_PERMISSIONS = ['records.read', 'records.write']
const CLERK_MENU = ['menu-apps', 'menu-records', 'menu-alerts', 'menu-flow-inbox', 'menu-flow-delegations', 'menu-todos', 'menu-admin-tokens']

/** Requests the server refused with 403 or 404, and console errors that report one. */
function watchRefusals(page: Page): string[] {
  const refused: string[] = []
  page.on('response', (response) => {
    if ([403, 404].includes(response.status()) && new URL(response.url()).pathname.startsWith('/api/')) {
      refused.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`)
    }
  })
  page.on('console', (message) => {
    if (message.type() === 'error' && /\b(403|404)\b/.test(message.text())) refused.push(message.text())
  })
  return refused
}

/** A clerk of the test's tenant with only records read/write, and a task of his to approve. */
async function makeClerk(session: Session, suffix: string): Promise<{ clerk: Credentials; taskId: number; formId: number }> {
  const draft = { title_field: 'title', fields: [{ key: 'title', type: 'text', label: { zh: '申请', en: 'Request' }, required: true }] }
  const formId = await publishedForm(session, `req_${suffix}`, { zh: '退货申请', en: 'Return request' }, draft)
  const role = await write<{ id: number }>(session, 'post', '/roles', { name: `仓库文员 ${suffix}`, code: `clerk_${suffix}`, permissions: CLERK_PERMISSIONS })
  const clerk = { username: `clerk_${suffix}`, password: 'clerk-pass-123' }
  const user = await write<{ id: number }>(session, 'post', '/users', { ...clerk, display_name: '文员', role_ids: [role.id] })
  const flow = await write<{ id: number }>(session, 'post', '/flows', { name: '退货审批', form_id: formId })
  const tree = { type: 'initiator', child: { type: 'approver', id: 'clerk_check', name: '文员确认', assignee: `user:${user.id}` } }
  await write(session, 'post', `/flows/${flow.id}/versions`, { tree })
  const record = await createRecord(session, formId, { title: `退货 ${suffix}` })
  const instance = await write<{ id: number }>(session, 'post', `/flows/${flow.id}/instances`, { record_id: record.id })
  const detail = await (await session.request.get(`/api/v1/flow-instances/${instance.id}`)).json()
  const task = (detail.tasks as Array<{ id: number; status: string }>).find((t) => t.status === 'open')
  expect(task, JSON.stringify(detail)).toBeTruthy()
  return { clerk, taskId: task!.id, formId }
}

/** The test ids of the menu entries the signed-in user sees (opening the drawer on a phone). */
async function visibleMenu(page: Page, info: TestInfo): Promise<string[]> {
  if (isPhone(info)) await page.getByTestId('menu-toggle').click()
  const menu = page.getByTestId('side-menu').last()
  await expect(menu).toBeVisible()
  const ids = await menu.locator('li.el-menu-item[data-testid]').evaluateAll((items) => items.map((i) => i.getAttribute('data-testid') ?? ''))
  if (isPhone(info)) await page.keyboard.press('Escape')
  return ids
}

async function openEntry(page: Page, info: TestInfo, testId: string): Promise<void> {
  if (isPhone(info)) await page.getByTestId('menu-toggle').click()
  await page.getByTestId('side-menu').last().getByTestId(testId).click()
  await page.waitForLoadState('networkidle')
}

test('a clerk sees only the menus he may use, and no page of his is refused', async ({ page, admin }, info) => {
  const suffix = `${info.project.name.slice(0, 1)}${Date.now().toString(36)}`
  const { clerk, taskId, formId } = await makeClerk(await apiLogin(page, admin), suffix)
  await page.context().clearCookies()
  const refused = watchRefusals(page)
  await login(page, clerk)

  const entries = await visibleMenu(page, info)
  expect(entries).toEqual(CLERK_MENU)
  for (const entry of entries) {
    await openEntry(page, info, entry)
    await expect(page.locator('.gs-layout__main')).toBeVisible()
    expect(refused, `after opening ${entry}`).toEqual([])
  }

  // his task, in the console and on the phone page an approval link opens
  await page.goto(`/flows/tasks/${taskId}`)
  await page.waitForLoadState('networkidle')
  await page.goto(`/m/tasks/${taskId}`)
  await page.waitForLoadState('networkidle')
  await expect(page.getByTestId('m-task-title')).toBeVisible()
  expect(refused, 'on his task pages').toEqual([])

  // a page his roles do not allow explains so, without asking the server
  await page.goto('/rules')
  await expect(page.getByTestId('no-access')).toBeVisible()
  await page.goto('/connectors')
  await expect(page.getByTestId('no-access')).toBeVisible()
  expect(refused, 'on pages he may not use').toEqual([])

  // a record that is gone (or not his to read) explains why instead of a blank page
  await page.goto(`/records/${formId}/999999`)
  await expect(page.getByTestId('no-access')).toContainText(/记录|record/)
})

test('a newcomer creates a form with four fields without typing any key', async ({ page, admin }, info) => {
  test.skip(isPhone(info), 'forms are designed on a desktop')
  const label = `退货登记 ${Date.now().toString(36)}`
  await login(page, admin)
  await page.goto('/apps')
  await page.getByTestId('app-create').click()
  await page.getByTestId('app-form-zh').fill('退货管理')
  await expect(page.getByTestId('app-form-key')).toBeHidden() // folded under "Advanced"
  await page.getByTestId('app-dialog-save').click()
  await expect(page.getByTestId('app-dialog')).toBeHidden()
  await page.locator('[data-testid$="-create-form"]').first().click()
  await page.getByTestId('form-form-zh').fill(label)
  await page.getByTestId('form-dialog-save').click()
  await expect(page.getByTestId('designer-canvas')).toBeVisible()
  const formId = Number(/forms\/(\d+)\/design/.exec(page.url())![1])

  await dropField(page, 'text', '', '商品名称')
  await expect(page.getByTestId('prop-key')).toBeHidden()
  await dropField(page, 'integer', '', '退货数量')
  await dropField(page, 'date', '', '退货日期')
  await dropField(page, 'textarea', '', '退货原因')
  await page.getByTestId('designer-save').click()
  await expect(page.getByTestId('designer-dirty')).toBeHidden()

  // the canvas and the publish dialog speak of labels only
  await expect(page.getByTestId('designer-canvas')).not.toContainText('tuihuo')
  await page.getByTestId('designer-publish').click()
  const added = page.getByTestId('publish-dialog').getByTestId('publish-diff-added')
  await expect(added).toContainText('退货数量')
  await expect(added).not.toContainText('tuihuo_shuliang')
  await page.getByTestId('publish-dialog').getByTestId('publish-confirm').click()
  await expect(page.getByTestId('designer-version')).toContainText('v1')

  const form = await (await page.request.get(`/api/v1/forms/${formId}`)).json()
  expect(form.key).toMatch(/^tuihuo_dengji/)
  expect(form.draft.fields.map((f: { key: string }) => f.key)).toEqual(['shangpin_mingcheng', 'tuihuo_shuliang', 'tuihuo_riqi', 'tuihuo_yuanyin'])
})
