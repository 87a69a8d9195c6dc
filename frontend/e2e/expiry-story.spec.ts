import { type Browser, type BrowserContext, type Page, type Response, type TestInfo } from '@playwright/test'
import { expect, test, type Admin } from './tenant'
import { isPhone } from './console'
import { read, requestLogin, write, type Session } from './api'

/**
 * The near-expiry template's story in the browser, with the demo organisation's people
 * (app/auth/demo_org.py): an administrator installs the template with its demo data from the
 * console's gallery and sees the red/yellow board; the east warehouse manager opens a red
 * to-do's batch and raises a donation order (the disposal flow starts); the approver its flow
 * names approves on a phone; the batch's stock and the cockpit's donation figures change.
 * Then every demo person signs in, in the console and on /m, and finds their to-dos, records
 * and pages open: no 403, 404 or 5xx on the way. The same story through the API is
 * tests/api/test_expiry_story.py; each test switches viewports itself, so it runs once
 * (the desktop project).
 */

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 }
const DESKTOP = { viewport: { width: 1280, height: 800 } }

interface Person {
  username: string
  /** the batches they see: a region's (clerks, the east director), every one, or none (staff) */
  batches: 'region' | 'all' | 'none'
  /** whether the template's warning rules give them to-dos (warehouse, sales and channel roles) */
  todos: boolean
}

/** The demo organisation's people, as app/auth/demo_org.py makes them. */
const PEOPLE: Person[] = [
  { username: 'wang.clerk', batches: 'region', todos: true },
  { username: 'li.clerk', batches: 'region', todos: true },
  { username: 'zhang.clerk', batches: 'region', todos: true },
  { username: 'zhou.director', batches: 'region', todos: false },
  { username: 'zhao.sales', batches: 'all', todos: true },
  { username: 'chen.channel', batches: 'all', todos: true },
  { username: 'qian.finance', batches: 'all', todos: false },
  { username: 'wu.staff', batches: 'none', todos: false },
  { username: 'sun.manager', batches: 'all', todos: false },
]

interface Form {
  id: number
  key: string
}
interface RecordRow {
  id: number
  [key: string]: unknown
}
interface Todo {
  id: number
  form_id: number | null
  record_id: number | null
  level: string | null
}
interface FlowTask {
  id: number
  kind: string
  status: string
  node_name: string
  assignee_id: number | null
  candidates: number[]
}
interface DemoUser {
  username: string
  password: string
  tenant: string
}
interface FigureRow {
  [key: string]: { value: unknown } | number | null
}

/** A person of the demo tenant, for the pages and the API. */
function person(admin: Admin, username: string): DemoUser {
  return { username, password: admin.demo_password!, tenant: admin.tenant }
}

async function newContext(browser: Browser, info: TestInfo, device: typeof PHONE | typeof DESKTOP): Promise<BrowserContext> {
  return browser.newContext({ baseURL: info.project.use.baseURL, ...device })
}

/** A full-page screenshot kept as a test artifact (test-results/...) and attached to the report. */
async function snapshot(page: Page, info: TestInfo, name: string): Promise<void> {
  const path = info.outputPath(`${name}.png`)
  await page.screenshot({ path, fullPage: true })
  await info.attach(name, { path, contentType: 'image/png' })
}

/** Every 403, 404 and 5xx the page's requests get, to fail on after a walk. */
function recordFailures(page: Page, who: string, failures: string[]): void {
  page.on('response', (response: Response) => {
    const status = response.status()
    if (status === 403 || status === 404 || status >= 500) {
      failures.push(`${who}: ${status} ${response.request().method()} ${new URL(response.url()).pathname}`)
    }
  })
}

async function consoleLogin(page: Page, user: DemoUser): Promise<void> {
  await page.goto('/login')
  await page.getByTestId('login-username').fill(user.username)
  await page.getByTestId('login-password').fill(user.password)
  await page.getByTestId('login-tenant-toggle').click()
  await page.getByTestId('login-tenant').fill(user.tenant)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('user-menu')).toBeVisible()
}

async function phoneLogin(page: Page, user: DemoUser): Promise<void> {
  await page.goto('/m/login')
  await page.getByTestId('m-login-username').locator('input').fill(user.username)
  await page.getByTestId('m-login-password').locator('input').fill(user.password)
  await page.getByTestId('m-login-tenant-toggle').click()
  await page.getByTestId('m-login-tenant').locator('input').fill(user.tenant)
  await page.getByTestId('m-login-submit').click()
  await expect(page).toHaveURL(/\/m\/todos$/)
}

async function forms(session: Session): Promise<Record<string, Form>> {
  const items = (await read<{ items: Form[] }>(session, '/forms')).items
  return Object.fromEntries(items.map((f) => [f.key, f]))
}

async function records(session: Session, formId: number, where: unknown, pageSize = 100): Promise<RecordRow[]> {
  const query = new URLSearchParams({ filter: JSON.stringify(where), page_size: String(pageSize) })
  return (await read<{ items: RecordRow[] }>(session, `/forms/${formId}/records?${query}`)).items
}

async function record(session: Session, formId: number, id: number): Promise<RecordRow> {
  return read<RecordRow>(session, `/forms/${formId}/records/${id}`)
}

/** The template with its demo records, installed through the API (the first test uses the gallery). */
async function installTemplate(session: Session): Promise<void> {
  let job = await write<{ id: number; status: string }>(session, 'post', '/templates/expiry_disposal/install', { demo: true })
  await expect
    .poll(async () => (job = await read<{ id: number; status: string }>(session, `/templates/jobs/${job.id}`)).status, { timeout: 150_000 })
    .toMatch(/done|failed/)
  expect(job.status, JSON.stringify(job)).toBe('done')
}

/** The approver signs in on a phone, opens the task from the approvals tab and approves it. */
async function approveOnPhone(browser: Browser, info: TestInfo, user: DemoUser, task: FlowTask, disposalNo: string, failures: string[]): Promise<void> {
  const phone = await newContext(browser, info, PHONE)
  const page = await phone.newPage()
  recordFailures(page, `${user.username} (phone)`, failures)
  await phoneLogin(page, user)
  await page.getByTestId('m-tab-approvals').click()
  await page.getByTestId(`m-task-${task.id}`).click()
  await expect(page.getByTestId('m-task-node')).toContainText(task.node_name)
  await expect(page.getByTestId('m-task-form')).toContainText(disposalNo)
  await expect(page.getByTestId('m-task-action-approve')).toBeVisible()
  await snapshot(page, info, `mobile-approval-${user.username}`)
  await page.getByTestId('m-task-action-approve').click()
  await expect(page.getByTestId('m-task-status')).not.toHaveAttribute('data-status', 'open')
  await snapshot(page, info, `mobile-approved-${user.username}`)
  await phone.close()
}

/** The cockpit's figures of one disposal method: orders raised and done, quantity, kg diverted. */
async function donationFigures(session: Session): Promise<{ orders: number; done: number; qty: number; kg: number }> {
  const charts = Object.fromEntries((await read<{ items: { id: number; key: string }[] }>(session, '/charts')).items.map((c) => [c.key, c.id]))
  const figures = async (key: string) => {
    const body = await write<{ rows: FigureRow[] }>(session, 'post', `/charts/${charts[key]}/data`, { filters: {} })
    return body.rows.find((r) => (r.method as { value: unknown }).value === 'donation') ?? {}
  }
  const roi = await figures('disposal_roi_by_method')
  const green = await figures('green_figures')
  return { orders: Number(roi.orders ?? 0), done: Number(roi.done ?? 0), qty: Number(roi.qty ?? 0), kg: Number(green.kg ?? 0) }
}

/** One demo person walks the console, then /m on a phone: their to-dos open their records, their
 * records are there, every page of their menu opens; what failed is added to `failures`. */
async function walk(browser: Browser, info: TestInfo, demoAdmin: Admin, form: Record<string, Form>, who: Person, failures: string[]): Promise<void> {
  const { username, batches, todos: hasTodos } = who
  const user = person(demoAdmin, username)
  await test.step(`${username} in the console`, async () => {
    const context = await newContext(browser, info, DESKTOP)
    const page = await context.newPage()
    recordFailures(page, username, failures)
    await consoleLogin(page, user)
    const session = await requestLogin(page.request, user, demoAdmin.tenant)
    const me = await read<{ permissions: string[] }>(session, '/me')
    const may = (p: string) => me.permissions.includes('*') || me.permissions.includes(p)
    const todos = (await read<{ items: Todo[]; total: number }>(session, '/todos?page_size=20')).items

    // their to-dos: listed, and the first opens its record
    await page.goto('/todos')
    await expect(page.getByTestId('todos-table')).toBeVisible()
    const first = todos.find((t) => t.record_id)
    if (first) {
      await page.getByTestId(`todo-record-${first.id}`).click()
      await expect(page.getByTestId('record-form')).toBeVisible()
      await expect(page.getByTestId('no-access')).toHaveCount(0)
    }
    // their records: the batches of their region (or all), the SKUs for everyone
    if (may('records.read')) {
      const list = batches === 'none' ? form.sku : form.batch
      await page.goto(`/records/${list.id}`)
      await expect(page.getByTestId('records-table').locator('.el-table__row').first()).toBeVisible()
      await page.goto('/records')
      await expect(page.getByTestId('records-index')).toBeVisible()
      await page.goto('/alerts')
      await expect(page.getByTestId('alerts-page')).toBeVisible()
    }
    if (may('dashboards.view')) {
      const boards = (await read<{ items: { id: number; key: string }[] }>(session, '/dashboards')).items
      const cockpit = boards.find((b) => b.key === 'expiry_cockpit')
      expect(cockpit, `${username} sees the cockpit`).toBeTruthy()
      await page.goto(`/dashboards/${cockpit!.id}`)
      await expect(page.locator('[data-testid^="chart-computed-"]').first()).toBeVisible({ timeout: 30_000 })
      await expect(page.getByTestId('no-access')).toHaveCount(0)
    }
    // every page their menu offers opens
    const menu = page.getByTestId('side-menu')
    if (await menu.getByTestId('menu-admin').count()) await menu.getByTestId('menu-admin').click()
    const entries = await menu.locator('li.el-menu-item[data-testid^="menu-"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-testid')!))
    expect(entries.length).toBeGreaterThan(2)
    for (const entry of entries) {
      const item = menu.getByTestId(entry)
      if (!(await item.isVisible())) await menu.getByTestId('menu-admin').click() // the admin group folds up
      await item.click()
      await page.waitForLoadState('networkidle')
      await expect(page.getByTestId('no-access'), `${username}: ${entry}`).toHaveCount(0)
    }
    if (hasTodos) expect(todos.length, `${username} has to-dos`).toBeGreaterThan(0)
    await context.close()
  })

  await test.step(`${username} on the phone`, async () => {
    const context = await newContext(browser, info, PHONE)
    const page = await context.newPage()
    recordFailures(page, `${username} (phone)`, failures)
    await phoneLogin(page, user)
    await expect(page.getByTestId('m-todos')).toBeVisible()
    const card = page.locator('[data-testid^="m-todo-"][data-testid$="-days"]').first()
    if (await card.count()) {
      await page.locator('.gs-m-todo__title').first().click()
      await expect(page.getByTestId('m-record')).toBeVisible()
      await expect(page.getByTestId('m-record-failure')).toHaveCount(0)
      await page.goBack()
    }
    await page.getByTestId('m-tab-approvals').click()
    await expect(page.getByTestId('m-approvals')).toBeVisible()
    await page.getByTestId('m-tab-me').click()
    await expect(page.getByTestId('m-me-name')).not.toBeEmpty()
    await page.goto('/m/notifications')
    await expect(page.getByTestId('m-notifications')).toBeVisible()
    await page.waitForLoadState('networkidle')
    await context.close()
  })
}

test.describe('the near-expiry template, as its people use it', () => {
  // long tests: a step that cannot happen fails in seconds, not at the test's timeout
  test.use({ actionTimeout: 15_000 })

  test('install from the gallery, a red to-do becomes a donation approved on a phone, the cockpit follows', async ({ page, browser, request, demoAdmin }, info) => {
    test.skip(isPhone(info), 'the story switches to a phone context of its own for the approval')
    test.setTimeout(300_000)
    const admin = await requestLogin(request, demoAdmin, demoAdmin.tenant)

    // 1. the administrator installs the template with its demo data from the gallery
    await consoleLogin(page, demoAdmin)
    await page.goto('/apps')
    await page.getByTestId('template-gallery-open').click()
    const gallery = page.getByTestId('template-gallery')
    await gallery.getByTestId('template-expiry_disposal-choose').click()
    await expect(gallery.getByTestId('template-install')).toBeEnabled()
    await gallery.getByTestId('template-demo').click()
    await expect(gallery.getByTestId('template-demo').locator('input')).toBeChecked()
    await gallery.getByTestId('template-install').click()
    await expect(gallery.getByTestId('template-progress')).toBeVisible()
    await expect(gallery.getByTestId('template-show-app')).toBeVisible({ timeout: 180_000 })
    await gallery.getByTestId('template-show-app').click()
    await expect(page.getByTestId('app-expiry_disposal')).toBeVisible()

    // 2. the board: red and yellow alerts raised by the demo's batches
    await page.goto('/alerts')
    const red = page.getByTestId('alert-summary-red-count')
    await expect(red).not.toHaveText('0')
    expect(Number(await red.textContent())).toBeGreaterThan(0)
    expect(Number(await page.getByTestId('alert-summary-yellow-count').textContent())).toBeGreaterThan(0)
    await snapshot(page, info, 'alert-board')

    const form = await forms(admin)
    const before = await donationFigures(admin)

    // 3. the east warehouse manager opens a red to-do: its batch, not a 404
    const clerkUser = person(demoAdmin, 'wang.clerk')
    const clerkContext = await newContext(browser, info, DESKTOP)
    const clerkPage = await clerkContext.newPage()
    const failures: string[] = []
    recordFailures(clerkPage, 'wang.clerk', failures)
    await consoleLogin(clerkPage, clerkUser)
    const clerk = await requestLogin(clerkPage.request, clerkUser, demoAdmin.tenant)
    const reds = (await read<{ items: Todo[] }>(clerk, '/todos?level=red&page_size=20')).items
    expect(reds.length).toBeGreaterThan(0)
    const batchOf = new Map<number, RecordRow>()
    for (const todo of reds) {
      if (todo.record_id) batchOf.set(todo.id, await record(admin, form.batch.id, todo.record_id))
    }
    // the to-do whose batch has the most on hand, so a donation of some of it leaves the rest
    const todo = reds.reduce((best, t) => (Number(batchOf.get(t.id)?.on_hand ?? 0) > Number(batchOf.get(best.id)?.on_hand ?? 0) ? t : best))
    const batch = batchOf.get(todo.id)!
    const onHand = Number(batch.on_hand)
    expect(onHand).toBeGreaterThan(1)
    const qty = Math.max(1, Math.floor(onHand / 2))

    await clerkPage.goto('/todos')
    await clerkPage.getByTestId('todos-filter-level').click()
    await clerkPage.getByTestId('todos-filter-level-option-red').click()
    await clerkPage.getByTestId(`todo-record-${todo.id}`).click()
    await expect(clerkPage).toHaveURL(new RegExp(`/records/${form.batch.id}/${batch.id}$`))
    await expect(clerkPage.getByTestId('record-form')).toBeVisible()
    await expect(clerkPage.getByTestId('no-access')).toHaveCount(0)
    await expect(clerkPage.getByTestId('input-batch_no')).toHaveValue(String(batch.batch_no))

    // 4. he raises a donation order of the batch: submitting it starts the disposal flow
    const [donee] = await records(admin, form.donee.id, {}, 1)
    await clerkPage.goto(`/records/${form.disposal.id}`)
    await clerkPage.getByTestId('records-new').click()
    await expect(clerkPage.getByTestId('record-form')).toBeVisible()
    await clerkPage.getByTestId('input-batch').click()
    await clerkPage.getByTestId('input-batch').locator('input').fill(String(batch.batch_no))
    await clerkPage.getByTestId(`input-batch-option-${batch.id}`).click()
    await clerkPage.getByTestId('input-method').click()
    await clerkPage.getByTestId('input-method-option-donation').click()
    await clerkPage.getByTestId('input-level').click()
    await clerkPage.getByTestId('input-level-option-red').click()
    await clerkPage.getByTestId('input-qty').locator('input').fill(String(qty))
    await clerkPage.getByTestId('input-donee').click()
    await clerkPage.getByTestId(`input-donee-option-${donee.id}`).click()
    await clerkPage.getByTestId('record-save').click()
    await expect(clerkPage).toHaveURL(new RegExp(`/records/${form.disposal.id}$`))
    const [order] = await records(admin, form.disposal.id, {
      and: [{ '==': [{ var: 'batch' }, batch.id] }, { '==': [{ var: 'method' }, 'donation'] }],
    })
    expect(order, 'the donation order').toBeTruthy()
    expect(order.status).toBe('requested')
    expect(order._flow_instance_id).toBeTruthy()
    expect(failures, failures.join('\n')).toEqual([])
    await clerkContext.close()

    // 5. whoever its flow names approves on a phone, step by step (a class-A red batch goes
    // to the regional director before the channel manager)
    const names = await read<{ items: { id: number; username: string }[] }>(admin, '/users?page_size=100')
    const usernameOf = new Map(names.items.map((u) => [u.id, u.username]))
    const approvers: string[] = []
    for (let step = 0; step < 4; step++) {
      const instance = await read<{ tasks: FlowTask[] }>(admin, `/flow-instances/${order._flow_instance_id}`)
      const open = instance.tasks.find((t) => t.status === 'open' && t.kind === 'approval')
      if (!open) break
      const username = usernameOf.get(open.assignee_id ?? open.candidates[0])!
      approvers.push(username)
      await approveOnPhone(browser, info, person(demoAdmin, username), open, String(order.disposal_no), failures)
    }
    expect(approvers, 'the donation waits for the channel manager').toContain('chen.channel')
    expect(failures, failures.join('\n')).toEqual([])

    // 6. the stock left the batch, and the cockpit counts the donation
    await expect.poll(async () => (await record(admin, form.disposal.id, order.id)).status).toBe('done')
    const after = await record(admin, form.batch.id, batch.id)
    expect(Number(after.on_hand)).toBe(onHand - qty)
    const figures = await donationFigures(admin)
    expect(figures.orders).toBe(before.orders + 1)
    expect(figures.done).toBe(before.done + 1)
    expect(figures.qty).toBe(before.qty + qty)
    expect(figures.kg).toBeGreaterThan(before.kg)

    const boards = (await read<{ items: { id: number; key: string }[] }>(admin, '/dashboards')).items
    const cockpit = boards.find((b) => b.key === 'expiry_cockpit')!
    await page.goto(`/dashboards/${cockpit.id}`)
    const panels = page.locator('[data-testid^="chart-panel-"]')
    await expect(panels).toHaveCount(8)
    await expect(page.locator('[data-testid^="chart-computed-"]')).toHaveCount(8, { timeout: 30_000 })
    await expect(page.locator('[data-testid^="chart-error-"]')).toHaveCount(0)
    await snapshot(page, info, 'cockpit')
  })

  // the people in three groups, each in a tenant of its own, so the two workers share them
  for (const group of [PEOPLE.slice(0, 3), PEOPLE.slice(3, 6), PEOPLE.slice(6)]) {
    const names = group.map((p) => p.username).join(', ')
    test(`${names} sign in and find work they can do, in the console and on /m`, async ({ browser, request, demoAdmin }, info) => {
      test.skip(isPhone(info), 'each person walks the console, then /m in a phone context of its own')
      test.setTimeout(300_000)
      const admin = await requestLogin(request, demoAdmin, demoAdmin.tenant)
      await installTemplate(admin)
      const form = await forms(admin)
      const failures: string[] = []
      for (const who of group) await walk(browser, info, demoAdmin, form, who, failures)
      expect(failures, `403, 404 or 5xx seen:\n${failures.join('\n')}`).toEqual([])
    })
  }
})
