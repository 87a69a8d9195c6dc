import type { Locator, Page } from '@playwright/test'
import { expect, test } from './tenant'
import { isPhone, login, openMenuEntry } from './console'
import { apiLogin, batchDraft, createRecord, post, publishedForm, tenantToday, type Session } from './api'
import { choose, textBox } from './designer'

/** A batch of 100 days' shelf life with `daysLeft` of them remaining. */
function batch(today: Date, batchNo: string, daysLeft: number, extra: Record<string, unknown> = {}) {
  const produced = new Date(today.getTime() - (100 - daysLeft) * 86_400_000).toISOString().slice(0, 10)
  return { batch_no: batchNo, qty: 10, unit_cost: '2.50', produced, shelf_days: 100, warehouse: 'east', category: 'dairy', ...extra }
}

interface Setup {
  suffix: string
  formKey: string
  formId: number
  roleCode: string
  records: Record<string, number>
}

/** A role, a published batch form, and batches at 10 %, 45 %, 90 % and -2 days left (plus one empty). */
async function setUp(session: Session): Promise<Setup> {
  const suffix = Date.now().toString(36)
  const roleCode = `stock_${suffix}`
  await post(session, '/roles', { name: `Stock ${suffix}`, code: roleCode, permissions: [], data_scope: 'all' })
  const formKey = `batch_${suffix}`
  const formId = await publishedForm(session, formKey, { zh: '批次', en: 'Batch' }, batchDraft)
  const today = await tenantToday(session)
  const records: Record<string, number> = {}
  for (const [name, daysLeft, extra] of [
    ['B-RED', 10, {}],
    ['B-YEL', 45, { warehouse: 'south', category: 'snacks' }],
    ['B-GRN', 90, {}],
    ['B-EXP', -2, { category: 'snacks' }],
    ['B-EMPTY', 5, { qty: 0 }],
  ] as const) {
    records[name] = (await createRecord(session, formId, batch(today, `${name}-${suffix}`, daysLeft, extra))).id
  }
  return { suffix, formKey, formId, roleCode, records }
}

/** The tenant's "disposal" form, which the alert board offers to start. */
async function disposalForm(session: Session): Promise<number> {
  return publishedForm(session, 'disposal', { zh: '处置', en: 'Disposal' }, {
    fields: [
      { key: 'method', type: 'text', label: { zh: '处置方式', en: 'Method' } },
      { key: 'qty', type: 'integer', label: { zh: '数量', en: 'Quantity' } },
    ],
  })
}

async function pickField(page: Page, testid: string, key: string) {
  await choose(page, page.getByTestId(testid), `${testid}-option-${key}`)
}

async function widthOf(segment: Locator): Promise<number> {
  return Number(await segment.getAttribute('data-width'))
}

test('a planner designs a shelf-life rule, previews, publishes and runs it, then works the alerts and to-dos', async ({ page, admin }, info) => {
  test.skip(isPhone(info), 'rules are designed on a desktop; the phone part runs at the end at phone size')
  test.setTimeout(180_000)
  await login(page, admin)
  const session = await apiLogin(page, admin)
  const s = await setUp(session)
  const name = (batchNo: string) => `${batchNo}-${s.suffix}`
  const disposalId = await disposalForm(session)

  await openMenuEntry(page, info, 'menu-rules')
  await page.getByTestId('rule-create').click()
  await textBox(page.getByTestId('rule-label-zh')).fill(`临期预警 ${s.suffix}`)
  await textBox(page.getByTestId('rule-label-en')).fill(`Shelf life ${s.suffix}`)
  await choose(page, page.getByTestId('rule-form'), `rule-form-option-${s.formKey}`)
  // Publishing too early saves the draft and shows the server's objections where they belong.
  await page.getByTestId('rule-publish').click()
  await expect(page).toHaveURL(/\/rules\/\d+$/)
  await expect(page.getByTestId('rule-errors')).toContainText('expiry')
  await expect(page.getByTestId('rule-target').locator('.el-form-item__error').first()).toBeVisible()
  await expect(page.getByTestId('rule-status')).toContainText('草稿')
  await pickField(page, 'rule-production-field', 'produced')
  await pickField(page, 'rule-shelf-life-field', 'shelf_days')
  await pickField(page, 'rule-quantity-field', 'qty')
  await pickField(page, 'rule-cost-field', 'unit_cost')
  await pickField(page, 'rule-title-field', 'batch_no')
  await pickField(page, 'rule-warehouse-field', 'warehouse')
  await pickField(page, 'rule-category-field', 'category')

  // Scope: only batches with stock.
  await page.getByTestId('rule-scope-add').click()
  await choose(page, page.getByTestId('rule-scope-row-0-field'), 'rule-scope-row-0-field-option-qty')
  await choose(page, page.getByTestId('rule-scope-row-0-op'), 'rule-scope-row-0-op-option-gt')
  await textBox(page.getByTestId('rule-scope-row-0-value')).fill('0')
  await textBox(page.getByTestId('rule-scope-row-0-value')).blur()

  // Thresholds: red below 30 %, yellow up to 50 %; the bar follows the numbers.
  const green = page.getByTestId('rule-levels-bar-green')
  const greenBefore = await widthOf(green)
  await textBox(page.getByTestId('rule-levels-yellow')).fill('50')
  await textBox(page.getByTestId('rule-levels-yellow')).blur()
  await expect.poll(() => widthOf(green)).toBeGreaterThan(greenBefore)

  // Red: a to-do for the administrator, titled with a placeholder chip.
  await page.getByTestId('rule-actions-tab-red').click()
  await page.getByTestId('rule-actions-red-add-todo').click()
  await choose(page, page.getByTestId('rule-action-red-0-who-user'), `rule-action-red-0-who-user-option-${admin.username}`)
  await textBox(page.getByTestId('rule-action-red-0-title')).fill('红牌处置 ')
  await textBox(page.getByTestId('rule-action-red-0-title')).focus()
  await page.getByTestId('rule-action-red-0-chip-title').click()
  await expect(textBox(page.getByTestId('rule-action-red-0-title'))).toHaveValue('红牌处置 {{title}}')
  await expect(page.getByTestId('rule-action-red-0-preview')).toContainText('红牌处置 B-20240601')
  // Yellow: an in-app message to the administrator. Expired: a to-do for the stock team.
  await page.getByTestId('rule-actions-tab-yellow').click()
  await page.getByTestId('rule-actions-yellow-add-notify').click()
  await choose(page, page.getByTestId('rule-action-yellow-0-who-user'), `rule-action-yellow-0-who-user-option-${admin.username}`)
  await page.getByTestId('rule-actions-tab-expired').click()
  await page.getByTestId('rule-actions-expired-add-todo').click()
  await choose(page, page.getByTestId('rule-action-expired-0-who-kind'), 'rule-action-expired-0-who-kind-option-role')
  await choose(page, page.getByTestId('rule-action-expired-0-who-role'), `rule-action-expired-0-who-role-option-${s.roleCode}`)
  await page.getByTestId('rule-schedule-preset-hourly').click()
  await expect(textBox(page.getByTestId('rule-schedule'))).toHaveValue('0 * * * *')

  // The preview shows what the edited draft would flag, before anything is published.
  await page.getByTestId('rule-preview-button').click()
  const preview = page.getByTestId('rule-preview')
  await expect(preview).toBeVisible()
  for (const level of ['red', 'yellow', 'green', 'expired']) {
    await expect(preview.getByTestId(`rule-preview-count-${level}`)).toHaveText('1')
  }
  await expect(preview.getByTestId('rule-preview-changes')).toContainText('尚未发布')
  await expect(preview.getByTestId('rule-preview-warehouses')).toContainText('华南仓')
  await expect(preview.getByTestId('rule-preview-sample')).toContainText(name('B-EXP'))
  await preview.locator('.el-drawer__close-btn').click()
  await expect(preview).toBeHidden()

  await page.getByTestId('rule-publish').click()
  await expect(page.getByTestId('rule-status')).toContainText('v1')
  await page.getByTestId('rule-run').click()
  const run = page.getByTestId('rule-run-result')
  await expect(run.getByTestId('rule-run-opened')).toContainText('3')
  await expect(run.getByTestId('rule-run-classified')).toContainText('4')

  // The alert board: totals, the most urgent first, a record's level history.
  await openMenuEntry(page, info, 'menu-alerts')
  await expect(page.getByTestId('alert-summary-red-count')).not.toHaveText('0')
  await choose(page, page.getByTestId('alerts-filter-rule'), `alerts-filter-rule-option-${await ruleKeyOf(session, s.formKey)}`)
  const rows = page.getByTestId('alerts-table').locator('tbody tr')
  await expect(rows).toHaveCount(3)
  await expect(rows.first()).toContainText(name('B-EXP'))
  await expect(rows.nth(1)).toContainText(name('B-RED'))
  await expect(rows.nth(1)).toContainText('华东仓')
  await rows.nth(1).click()
  const drawer = page.getByTestId('alert-drawer')
  await expect(drawer.getByTestId('alert-events')).toContainText('红牌')
  await drawer.getByTestId('alert-start-disposal').click()
  await expect(page).toHaveURL(new RegExp(`/records/${disposalId}/new$`))
  await page.goBack()
  await rows.nth(1).click()
  await drawer.getByTestId('alert-open-record').click()
  await expect(page).toHaveURL(new RegExp(`/records/${s.formId}/${s.records['B-RED']}$`))

  // The yellow message waits in the bell.
  await expect(page.getByTestId('inbox-count')).toContainText('1')

  // The to-do centre: the red batch's to-do, claimed here.
  await openMenuEntry(page, info, 'menu-todos')
  const todoRow = page.getByTestId('todos-table').locator('tbody tr', { hasText: name('B-RED') })
  await expect(todoRow).toContainText(`红牌处置 ${name('B-RED')}`)
  await expect(page.getByTestId('todos-table')).not.toContainText(name('B-EXP'))
  await todoRow.getByRole('button', { name: '认领' }).click()
  await expect(todoRow).toContainText('处理中')

  // On a phone: the to-do, days left up front, completed with a result.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/m/todos')
  const card = page.locator('[data-testid^="m-todo-"]', { hasText: name('B-RED') }).first()
  await expect(card).toBeVisible()
  const todoId = (await card.getAttribute('data-testid'))!.replace('m-todo-', '')
  await expect(page.getByTestId(`m-todo-${todoId}-days`)).toContainText(/\d/)
  await page.getByTestId(`m-todo-${todoId}-complete`).click()
  await page.getByTestId('m-todo-pick-promotion').click()
  await page.getByTestId('m-todo-result').locator('textarea').fill('临期专区 8 折')
  await page.getByTestId('m-todo-complete-submit').click()
  await expect(page.getByTestId(`m-todo-${todoId}`)).toHaveCount(0)
  await page.getByRole('tab', { name: '已完成' }).click()
  await expect(page.getByTestId(`m-todo-${todoId}`)).toContainText('临期专区 8 折')
})

async function ruleKeyOf(session: Session, formKey: string): Promise<string> {
  const rules = (await (await session.request.get('/api/v1/rules')).json()).items as { key: string; draft: { form?: string } }[]
  return rules.find((r) => r.draft.form === formKey)!.key
}

test('a clerk claims and completes a to-do shared with the stock team on the phone', async ({ page, admin }, info) => {
  test.skip(!isPhone(info), 'the /m app is for phones; the desktop test finishes on a phone viewport too')
  const session = await apiLogin(page, admin)
  const s = await setUp(session)
  const role = ((await (await session.request.get('/api/v1/roles')).json()).items as { id: number; code: string }[]).find((r) => r.code === s.roleCode)!
  const clerk = `clerk_${s.suffix}`
  await post(session, '/users', { username: clerk, display_name: `Clerk ${s.suffix}`, password: 'clerk-pass-123', role_ids: [role.id] })
  const team = { role: s.roleCode }
  const rule = await post<{ id: number }>(session, '/rules', {
    key: `rule_${s.suffix}`,
    label: { zh: '临期预警', en: 'Shelf life' },
    draft: {
      form: s.formKey,
      expiry: { production_field: 'produced', shelf_life_field: 'shelf_days' },
      metric: 'remaining_pct',
      scope: { '>': [{ var: 'qty' }, 0] },
      quantity_field: 'qty',
      warehouse_field: 'warehouse',
      category_field: 'category',
      title_field: 'batch_no',
      actions: {
        red: [{ type: 'todo', assignee: team }, { type: 'notify', recipients: team, channels: ['in_app'] }],
        expired: [{ type: 'todo', assignee: team }],
      },
    },
  })
  await post(session, `/rules/${rule.id}/publish`, {})
  await post(session, `/rules/${rule.id}/run`, {})
  await page.context().clearCookies()

  await page.goto('/m/login')
  await page.getByTestId('m-login-username').locator('input').fill(clerk)
  await page.getByTestId('m-login-password').locator('input').fill('clerk-pass-123')
  await page.getByTestId('m-login-submit').click()
  await expect(page).toHaveURL(/\/m\/todos$/)

  await expect(page.locator('article[data-testid^="m-todo-"]')).toHaveCount(2)
  const expired = page.locator('article', { hasText: `B-EXP-${s.suffix}` })
  await expect(expired).toContainText('已过期')
  const red = page.locator('article', { hasText: `B-RED-${s.suffix}` })
  await expect(red).toContainText('红牌')
  await red.getByRole('button', { name: '认领' }).click()
  await expect(red).toContainText('处理中')
  await red.getByRole('button', { name: '完成' }).click()
  await page.getByTestId('m-todo-complete-submit').click()
  await expect(page.getByTestId('m-todo-result')).toContainText('请填写处理结果')
  await page.getByTestId('m-todo-pick-staff_sale').click()
  await page.getByTestId('m-todo-complete-submit').click()
  await expect(page.locator('article[data-testid^="m-todo-"]')).toHaveCount(1)

  await expect(page.getByTestId('m-notifications-count')).toContainText('1')
  await page.getByTestId('m-notifications-link').click()
  await expect(page).toHaveURL(/\/m\/notifications$/)
  await expect(page.getByTestId('m-notifications')).toContainText(`B-RED-${s.suffix}`)
})
