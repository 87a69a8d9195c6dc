import type { Page } from '@playwright/test'
import { expect, test } from './tenant'
import { isPhone, openMenuEntry } from './console'
import { apiLogin, createRecord, publishedForm, type Session } from './api'
import { choose, textBox } from './designer'

const requestDraft = {
  title_field: 'title',
  fields: [
    { key: 'title', type: 'text', label: { zh: '申请', en: 'Request' }, required: true },
    { key: 'qty', type: 'integer', label: { zh: '数量', en: 'Quantity' } },
  ],
}

/** Two approvals in a row, both ``assignee``'s; ``second`` names the second step's id and name. */
function twoSteps(formKey: string, assignee: string, second = { id: 'director', name: '销售总监' }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:gs="urn:greenshelf:bpmn:1" id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="two_steps" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="manager"/>
    <bpmn:userTask id="manager" name="部门经理" gs:form="${formKey}" gs:assignee="user:${assignee}"/>
    <bpmn:sequenceFlow id="f2" sourceRef="manager" targetRef="${second.id}"/>
    <bpmn:userTask id="${second.id}" name="${second.name}" gs:form="${formKey}" gs:assignee="user:${assignee}"/>
    <bpmn:sequenceFlow id="f3" sourceRef="${second.id}" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>`
}

async function call<T>(session: Session, method: 'get' | 'post', path: string, data?: unknown): Promise<T> {
  const response = await session.request[method](`/api/v1${path}`, { data, headers: { 'X-CSRF-Token': session.csrf } })
  expect(response.ok(), `${method.toUpperCase()} ${path}: ${await response.text()}`).toBeTruthy()
  return (await response.json()) as T
}

interface Flow {
  id: number
  key: string
}

/** A deployed flow of the form, both steps ``assignee``'s; returns it with its key. */
async function deployedFlow(session: Session, assignee: string, formId: number, formKey: string, key: string, name: string): Promise<Flow> {
  const flow = await call<Flow>(session, 'post', '/flows', { key, name, form_id: formId })
  await call(session, 'post', `/flows/${flow.id}/versions`, { bpmn: twoSteps(formKey, assignee) })
  return flow
}

async function startFor(session: Session, flow: Flow, formId: number, title: string): Promise<number> {
  const record = await createRecord(session, formId, { title, qty: 1 })
  return (await call<{ id: number }>(session, 'post', `/flows/${flow.id}/instances`, { record_id: record.id })).id
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  expect(overflow).toBeLessThanOrEqual(0)
}

/** YYYY-MM-DD ``days`` after today. */
function dayAfter(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

test.describe('flow administration', () => {
  test('an administrator lists every instance filtered by flow and opens one', async ({ page, admin }, info) => {
    const session = await apiLogin(page, admin)
    const suffix = `${info.project.name}_${Date.now().toString(36)}`
    const formKey = `adm_${suffix}`
    const formId = await publishedForm(session, formKey, { zh: '处置申请', en: 'Disposal request' }, requestDraft)
    const first = await deployedFlow(session, admin.username, formId, formKey, `adm_a_${suffix}`, `甲流程 ${suffix}`)
    const second = await deployedFlow(session, admin.username, formId, formKey, `adm_b_${suffix}`, `乙流程 ${suffix}`)
    const older = await startFor(session, first, formId, `甲一 ${suffix}`)
    const newer = await startFor(session, first, formId, `甲二 ${suffix}`)
    const other = await startFor(session, second, formId, `乙一 ${suffix}`)

    await page.goto('/apps')
    await openMenuEntry(page, info, 'menu-admin-flow-instances')
    await expect(page).toHaveURL(/\/admin\/flow-instances$/)
    await choose(page, page.getByTestId('all-instances-filter-flow'), `all-instances-filter-flow-option-${first.key}`)

    const rows = page.getByTestId('all-instances-table').locator('[data-testid^="all-instances-row-"]')
    await expect(rows).toHaveCount(2)
    // newest first, and nothing of the other flow
    await expect(rows.nth(0)).toHaveAttribute('data-testid', `all-instances-row-${newer}`)
    await expect(rows.nth(1)).toHaveAttribute('data-testid', `all-instances-row-${older}`)
    await expect(page.getByTestId(`all-instances-row-${other}`)).toHaveCount(0)
    await expect(page.getByTestId('all-instances-pagination')).toContainText('2')
    await expect(page).toHaveURL(new RegExp(`flow=${first.id}`))
    if (isPhone(info)) await expectNoSidewaysScroll(page)

    await page.getByTestId(`all-instances-row-${older}`).click()
    await expect(page).toHaveURL(new RegExp(`/flows/instances/${older}$`))
    await expect(page.getByTestId('instance-page')).toBeVisible()
    // back again: the filter is still there
    await page.goBack()
    await expect(rows).toHaveCount(2)

    // the flows page's instance list asks the server for one flow's instances too
    await page.goto('/flows/instances')
    await choose(page, page.getByTestId('instances-filter-flow'), `instances-filter-flow-option-${first.key}`)
    const listed = page.getByTestId('instances-table').locator('[data-testid^="instances-row-"]')
    await expect(listed).toHaveCount(2)
    await expect(page.getByTestId(`instances-row-${other}`)).toHaveCount(0)
    await expect(page.getByTestId('instances-only-mine')).toHaveCount(0)
  })

  test('a preview says which running instances can move; one of them is moved to the new version', async ({ page, admin }, info) => {
    const session = await apiLogin(page, admin)
    const suffix = `${info.project.name}_${Date.now().toString(36)}`
    const formKey = `mig_${suffix}`
    const formId = await publishedForm(session, formKey, { zh: '迁移申请', en: 'Migration request' }, requestDraft)
    const flow = await deployedFlow(session, admin.username, formId, formKey, `mig_${suffix}`, `迁移流程 ${suffix}`)
    const moving = await startFor(session, flow, formId, `待迁移 ${suffix}`)
    const staying = await startFor(session, flow, formId, `不勾选 ${suffix}`)
    const atSecond = await startFor(session, flow, formId, `已到第二步 ${suffix}`)
    const tasks = await call<{ items: Array<{ id: number; instance_id: number }> }>(session, 'get', '/flow-tasks?box=todo&page=1&page_size=100')
    const [task] = tasks.items.filter((x) => x.instance_id === atSecond)
    await call(session, 'post', `/flow-tasks/${task.id}/approve`, { comment: '' })
    // version 2: the second step is the general manager's, under a new id
    await call(session, 'post', `/flows/${flow.id}/versions`, { bpmn: twoSteps(formKey, admin.username, { id: 'gm', name: '总经理' }) })

    await page.goto(`/flows/${flow.id}/model`)
    await page.getByTestId('flow-versions-open').click()
    await page.getByTestId('flow-version-1-migrate').click()
    const dialog = page.getByTestId('migration-dialog')
    await expect(dialog.getByTestId(`migration-row-${moving}`)).toBeVisible()
    await expect(dialog.getByTestId(`migration-state-${moving}`)).toHaveAttribute('data-state', 'movable')
    await expect(dialog.getByTestId(`migration-state-${staying}`)).toHaveAttribute('data-state', 'movable')
    await expect(dialog.getByTestId(`migration-state-${atSecond}`)).toHaveAttribute('data-state', 'blocked')
    await expect(dialog.getByTestId(`migration-reasons-${atSecond}`)).toContainText('销售总监')
    await expect(dialog.getByTestId(`migration-pick-${atSecond}`).locator('input')).toBeDisabled()

    // mapping the missing step makes the blocked one movable in a fresh preview
    await choose(page, dialog.getByTestId('migration-map-director'), 'migration-map-director-option-gm')
    await expect(dialog.getByTestId(`migration-state-${atSecond}`)).toHaveAttribute('data-state', 'movable')

    await dialog.getByTestId(`migration-pick-${moving}`).click()
    await expect(dialog.getByTestId('migration-move')).toContainText('1')
    await dialog.getByTestId('migration-move').click()
    await page.locator('.el-message-box__btns .el-button--danger').click()
    await expect(dialog.getByTestId(`migration-state-${moving}`)).toHaveAttribute('data-state', 'moved')
    await expect(dialog.getByTestId(`migration-state-${staying}`)).toHaveAttribute('data-state', 'movable')

    const version = async (id: number) => (await call<{ version: number }>(session, 'get', `/flow-instances/${id}`)).version
    expect([await version(moving), await version(staying), await version(atSecond)]).toEqual([2, 1, 1])
  })

  test('a delegation is created, an overlapping one is refused with the reason, and it is revoked', async ({ page, admin }, info) => {
    const session = await apiLogin(page, admin)
    const username = `deputy_${info.project.name}_${Date.now().toString(36)}`
    const displayName = `代理人 ${username}`
    await call(session, 'post', '/users', { username, display_name: displayName, password: 'deputy-pass-123' })
    // future days, so the delegation is upcoming
    const [starts, ends] = [dayAfter(20), dayAfter(22)]

    await page.goto('/apps')
    await openMenuEntry(page, info, 'menu-flow-delegations')
    await expect(page).toHaveURL(/\/flows\/delegations$/)

    const create = async () => {
      await page.getByTestId('delegation-create').click()
      const dialog = page.getByTestId('delegation-dialog')
      await dialog.getByTestId('delegation-delegate').click()
      await page.keyboard.type(username)
      await page.locator(`.el-select-dropdown__item[data-testid="delegation-delegate-option-${username}"]:visible`).click()
      for (const [testId, day] of [['delegation-starts', starts], ['delegation-ends', ends]] as const) {
        const input = textBox(dialog.getByTestId(testId))
        await input.fill(day)
        await input.press('Enter')
      }
      await textBox(dialog.getByTestId('delegation-reason')).fill('出差')
      await dialog.getByTestId('delegation-save').click()
      return dialog
    }

    const dialog = await create()
    await expect(dialog).toBeHidden()
    const row = page.getByTestId('delegations-table').locator('[data-testid^="delegation-row-"]', { hasText: displayName })
    await expect(row).toBeVisible()
    const id = Number((await row.getAttribute('data-testid'))?.split('-').pop())
    await expect(page.getByTestId(`delegation-state-${id}`)).toHaveAttribute('data-state', 'upcoming')
    if (isPhone(info)) await expectNoSidewaysScroll(page)

    // the same days again: the server refuses and the dialog says why
    const again = await create()
    await expect(again.getByTestId('delegation-refusal')).toContainText('已有委托')
    await again.getByRole('button', { name: '取消' }).click()
    await expect(again).toBeHidden()

    await page.getByTestId(`delegation-revoke-${id}`).click()
    await page.locator('.el-message-box__btns .el-button--danger').click()
    await expect(page.getByTestId(`delegation-state-${id}`)).toHaveAttribute('data-state', 'cancelled')
    await expect(page.getByTestId(`delegation-revoke-${id}`)).toHaveCount(0)
  })
})
