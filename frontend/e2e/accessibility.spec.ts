import type { Page } from '@playwright/test'
import { expect, test } from './tenant'
import { isPhone } from './console'
import { read, requestLogin, write, type Session } from './api'
import { expectAccessible } from './axe'

/**
 * axe-core on every page a person reaches from the console's side menu (at 1440x900) and on
 * the phone app's pages (at 390x844), in a tenant with the near-expiry template and its demo
 * data, so lists, to-dos and tasks have rows to name. A page fails on a serious or critical
 * violation (e2e/axe.ts); `<html lang>` follows the language the person chose. On the phone,
 * buttons and list rows are at least 44 px high, and the to-do list loads 20 at a time without
 * moving what is already shown.
 */

interface Form {
  id: number
  key: string
}
interface Todo {
  id: number
  form_id: number | null
  record_id: number | null
}

/** The template with its demo records, installed through the API; returns its forms by key. */
async function installTemplate(session: Session): Promise<Record<string, Form>> {
  let job = await write<{ id: number; status: string }>(session, 'post', '/templates/expiry_disposal/install', { demo: true })
  await expect
    .poll(async () => (job = await read<{ id: number; status: string }>(session, `/templates/jobs/${job.id}`)).status, { timeout: 150_000 })
    .toMatch(/done|failed/)
  expect(job.status, JSON.stringify(job)).toBe('done')
  const forms = (await read<{ items: Form[] }>(session, '/forms')).items
  return Object.fromEntries(forms.map((f) => [f.key, f]))
}

/** Buttons and list rows a thumb taps: none of those shown is less than 44 px high. */
async function expectTapTargets(page: Page, name: string): Promise<void> {
  const targets = '.van-button, .van-cell--clickable, .van-tabbar-item, .van-tab, .van-nav-bar__left, .van-nav-bar__right, button, [role="button"]'
  const small = await page.locator(targets).evaluateAll((elements) =>
    elements
      .map((e) => ({ e, box: e.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && box.height > 0 && box.height < 44)
      .map(({ e, box }) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${(e.textContent ?? '').trim().slice(0, 20)}": ${box.height.toFixed(0)} px`),
  )
  expect.soft(small, `tap targets under 44 px on ${name}`).toEqual([])
}

/** Waits until the page has its data and no spinner, mask or skeleton is showing. */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle')
  for (const busy of ['.el-loading-mask', '.van-loading', '.van-skeleton']) {
    await expect(page.locator(busy).filter({ visible: true })).toHaveCount(0, { timeout: 15_000 })
  }
}

test.describe('the console, at 1440x900', () => {
  test.use({ viewport: { width: 1440, height: 900 } })

  test('the login page and every page of the side menu pass axe; <html lang> follows the language', async ({ page, demoAdmin, request }, info) => {
    test.skip(isPhone(info), 'the phone app has its own test below')
    test.setTimeout(240_000)
    await installTemplate(await requestLogin(request, demoAdmin, demoAdmin.tenant))

    await page.goto('/login')
    await expect(page.getByTestId('login-submit')).toBeVisible()
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
    await expectAccessible(page, info, 'console-login')
    await page.getByTestId('locale-switch').click()
    await page.getByTestId('locale-option-en').click()
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await page.getByTestId('locale-switch').click()
    await page.getByTestId('locale-option-zh-CN').click()
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')

    await page.getByTestId('login-username').fill(demoAdmin.username)
    await page.getByTestId('login-password').fill(demoAdmin.password)
    await page.getByTestId('login-tenant-toggle').click()
    await page.getByTestId('login-tenant').fill(demoAdmin.tenant)
    await page.getByTestId('login-submit').click()
    await expect(page.getByTestId('user-menu')).toBeVisible()

    const menu = page.getByTestId('side-menu')
    const entries = await menu.locator('li.el-menu-item[data-testid^="menu-"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-testid')!))
    // an administrator sees every entry of src/views/layout/menu.ts
    expect(entries.length).toBeGreaterThanOrEqual(18)
    for (const entry of entries) {
      const item = menu.getByTestId(entry)
      if (!(await item.isVisible())) await menu.getByTestId('menu-admin').click()
      await item.click()
      await expect(item).toHaveClass(/is-active/)
      await settled(page)
      await expectAccessible(page, info, entry)
    }
  })
})

test.describe('the phone app, at 390x844', () => {
  test.use({ viewport: { width: 390, height: 844 } })

  test('login, to-dos, approvals, a task, a record, notifications and Me pass axe with 44 px tap targets; <html lang> follows the language; to-dos load 20 at a time', async ({ page, demoAdmin, request }, info) => {
    test.skip(!isPhone(info), 'the console has its own test above')
    test.setTimeout(240_000)
    const admin = await requestLogin(request, demoAdmin, demoAdmin.tenant)
    const forms = await installTemplate(admin)
    // a promotion request waits for the sales lead (the disposal flow's role:sales step)
    const batch = (await read<{ items: { id: number }[] }>(admin, `/forms/${forms.batch.id}/records?page_size=1`)).items[0]
    await write(admin, 'post', `/forms/${forms.disposal.id}/records`, { batch: batch.id, method: 'promotion', qty: 5, level: 'yellow' })

    const sales = { username: 'zhao.sales', password: demoAdmin.demo_password!, tenant: demoAdmin.tenant }
    await page.goto('/m/login')
    await expect(page.getByTestId('m-login-submit')).toBeVisible()
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
    await expectAccessible(page, info, 'm-login')
    await page.getByTestId('m-login-username').locator('input').fill(sales.username)
    await page.getByTestId('m-login-password').locator('input').fill(sales.password)
    await page.getByTestId('m-login-tenant-toggle').click()
    await page.getByTestId('m-login-tenant').locator('input').fill(sales.tenant)
    await page.getByTestId('m-login-submit').click()
    await expect(page).toHaveURL(/\/m\/todos$/)

    const session = await requestLogin(page.request, sales, sales.tenant)
    const todo = (await read<{ items: Todo[] }>(session, '/todos?page_size=20')).items.find((t) => t.record_id)
    const task = (await read<{ items: { id: number }[] }>(session, '/flow-tasks?box=todo&page_size=1')).items[0]
    expect(todo, 'the sales lead has a to-do with a record').toBeTruthy()
    expect(task, 'the sales lead has an approval waiting').toBeTruthy()

    const pages: [string, string, string][] = [
      ['m-todos', '/m/todos', 'm-todos'],
      ['m-approvals', '/m/approvals', 'm-approvals'],
      ['m-task', `/m/tasks/${task.id}`, 'm-task-actions'],
      ['m-record', `/m/forms/${todo!.form_id}/records/${todo!.record_id}`, 'm-record-submit'],
      ['m-notifications', '/m/notifications', 'm-notifications'],
      ['m-me', '/m/me', 'm-me-name'],
    ]
    for (const [name, path, ready] of pages) {
      await page.goto(path)
      await expect(page.getByTestId(ready)).toBeVisible()
      await settled(page)
      await expectAccessible(page, info, name)
      await expectTapTargets(page, name)
    }

    await test.step('Me: the language switch changes <html lang>, and it stays on the next page', async () => {
      await page.getByTestId('m-locale-en').click()
      await expect(page.locator('html')).toHaveAttribute('lang', 'en')
      await page.getByTestId('m-tab-todos').click()
      await expect(page.locator('html')).toHaveAttribute('lang', 'en')
      await page.reload()
      await expect(page.getByTestId('m-todos')).toBeVisible()
      await expect(page.locator('html')).toHaveAttribute('lang', 'en')
      await page.getByTestId('m-tab-me').click()
      await page.getByTestId('m-locale-zh-CN').click()
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
    })

    await test.step('the to-do list loads 20 at a time as the person scrolls, and nothing jumps', async () => {
      const total = (await read<{ total: number }>(session, '/todos?page_size=1')).total
      expect(total, 'more to-dos than two pages').toBeGreaterThan(40)
      const asked: URLSearchParams[] = []
      page.on('request', (request) => {
        const url = new URL(request.url())
        if (url.pathname === '/api/v1/todos') asked.push(url.searchParams)
      })
      // layout shifts not caused by the person, added up as Chromium reports them
      await page.addInitScript(() => {
        const shifts = window as unknown as { gsLayoutShift: number }
        shifts.gsLayoutShift = 0
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
            if (!entry.hadRecentInput) shifts.gsLayoutShift += entry.value
          }
        }).observe({ type: 'layout-shift', buffered: true })
      })
      await page.goto('/m/todos')
      const cards = page.locator('article[data-testid^="m-todo-"]')
      await expect(cards).toHaveCount(20)
      expect(asked.map((q) => [q.get('page'), q.get('page_size')])).toEqual([['1', '20']])
      const shift = await page.evaluate(() => (window as unknown as { gsLayoutShift: number }).gsLayoutShift)
      expect(shift, 'layout shift while the first page came').toBeLessThan(0.1)

      const end = page.getByTestId('m-todos-list').locator('.van-list__finished-text')
      const lastPage = Math.ceil(total / 20)
      for (let next = 2; next <= lastPage; next++) {
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
        await expect(cards).toHaveCount(Math.min(next * 20, total))
      }
      await expect(end).toHaveText('没有更多了')
      await expect(cards).toHaveCount(total)
      expect(asked.every((q) => q.get('page_size') === '20')).toBe(true)
      expect(asked.map((q) => Number(q.get('page')))).toEqual(Array.from({ length: lastPage }, (_, i) => i + 1))
    })
  })
})
