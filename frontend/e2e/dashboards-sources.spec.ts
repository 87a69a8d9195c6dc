import type { Request } from '@playwright/test'
import { expect, test } from './tenant'
import { isPhone, login } from './console'
import { apiLogin, batchDraft, createRecord, post, publishedForm, read, tenantToday, type Session } from './api'
import { choose, textBox } from './designer'

/** [name, warehouse, made days ago, shelf days]: under the rule R1 and R2 are red, Y1 yellow, X1 expired, G1 green. */
const BATCHES = [
  ['G1', 'east', 10, 100],
  ['R1', 'east', 85, 100],
  ['X1', 'east', 32, 30],
  ['Y1', 'south', 55, 100],
  ['R2', 'south', 88, 100],
] as const

const daysAgo = (today: Date, days: number) => new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10)

/** A published shelf-life rule on the form that has classified its batches; returns its key. */
async function shelfRule(session: Session, formKey: string, suffix: string): Promise<string> {
  const key = `shelf_${suffix}`
  const rule = await post<{ id: number }>(session, '/rules', {
    key,
    label: { zh: '临期预警', en: 'Shelf life' },
    draft: {
      form: formKey,
      expiry: { production_field: 'produced', shelf_life_field: 'shelf_days' },
      metric: 'remaining_pct',
      quantity_field: 'qty',
      warehouse_field: 'warehouse',
      title_field: 'batch_no',
    },
  })
  await post(session, `/rules/${rule.id}/publish`, {})
  await post(session, `/rules/${rule.id}/run`, {})
  return key
}

type Row = Record<string, { value: unknown } | number>

test('a planner charts the alerts raised on a form by their level, and opens the chart again on its alerts', async ({ page, admin }, info) => {
  test.skip(isPhone(info), 'charts are built on a desktop')
  test.setTimeout(120_000)
  await login(page, admin)
  const session = await apiLogin(page, admin)
  const suffix = Date.now().toString(36)
  const formKey = `batch_${suffix}`
  const formId = await publishedForm(session, formKey, { zh: '批次', en: 'Batch' }, batchDraft)
  const today = await tenantToday(session)
  for (const [name, warehouse, madeDaysAgo, shelfDays] of BATCHES) {
    await createRecord(session, formId, { batch_no: `${name}-${suffix}`, warehouse, qty: 10, produced: daysAgo(today, madeDaysAgo), shelf_days: shelfDays })
  }
  await shelfRule(session, formKey, suffix)

  await page.goto('/dashboards/charts/new')
  await choose(page, page.getByTestId('chart-form-picker'), `chart-form-option-${formKey}`)
  await expect(page.getByTestId('builder-palette')).toBeVisible()
  await expect(page.getByTestId('builder-field-alert_level')).toHaveCount(0)
  await page.getByTestId('chart-source-alerts').click()
  await expect(page.getByTestId('builder-palette')).toContainText('预警信息')
  await expect(page.getByTestId('builder-field-count')).toContainText('预警数')
  await page.getByTestId('builder-field-alert_level').dragTo(page.getByTestId('builder-dimensions'))
  await expect(page.getByTestId('builder-dimension-0')).toContainText('预警等级')
  await expect(textBox(page.getByTestId('builder-measure-0'))).toHaveAttribute('placeholder', '预警数')
  await expect(page.getByTestId('chart-preview').getByTestId('chart-canvas')).toHaveAttribute('data-type', 'bar')
  await expect(page.getByTestId('chart-preview').getByTestId('chart-empty')).toHaveCount(0)
  await textBox(page.getByTestId('chart-name-zh')).fill(`预警等级 ${suffix}`)
  await page.getByTestId('chart-save').click()
  await expect(page).toHaveURL(/\/dashboards\/charts\/\d+/)
  const chartId = Number(/charts\/(\d+)/.exec(page.url())![1])
  const saved = await read<{ definition: Record<string, unknown> }>(session, `/charts/${chartId}`)
  expect(saved.definition).toMatchObject({ source: 'alerts', dimensions: [{ field: 'alert_level' }], measures: [{ agg: 'count' }] })
  const measure = (saved.definition.measures as { key: string }[])[0].key
  const data = await session.request.post(`/api/v1/charts/${chartId}/data`, { data: { filters: {} }, headers: { 'X-CSRF-Token': session.csrf } })
  const rows = ((await data.json()) as { rows: Row[] }).rows
  expect(Object.fromEntries(rows.map((r) => [(r.alert_level as { value: unknown }).value, r[measure]]))).toEqual({ red: 2, yellow: 1, expired: 1 })

  // Opened again, the chart still reads the alerts; back on the records, the alert level goes.
  await page.reload()
  await expect(page.getByTestId('chart-source-alerts')).toHaveClass(/is-checked/)
  await expect(page.getByTestId('builder-dimension-0')).toContainText('预警等级')
  await page.getByTestId('chart-source-records').click()
  await expect(page.getByTestId('builder-dimension-0')).toHaveCount(0)
  await expect(page.getByTestId('builder-field-alert_level')).toHaveCount(0)
  await expect(textBox(page.getByTestId('builder-measure-0'))).toHaveAttribute('placeholder', '记录数')
})

test('a warehouse picked in the filter bar narrows a chart whose warehouse is a related record', async ({ page, admin }) => {
  test.setTimeout(120_000)
  await login(page, admin)
  const session = await apiLogin(page, admin)
  const suffix = Date.now().toString(36)
  const warehouseKey = `warehouse_${suffix}`
  const warehouseForm = await publishedForm(session, warehouseKey, { zh: '仓库', en: 'Warehouse' }, { fields: [{ key: 'name', type: 'text', label: { zh: '名称', en: 'Name' } }] })
  const east = (await createRecord(session, warehouseForm, { name: `华东仓 ${suffix}` })).id
  const south = (await createRecord(session, warehouseForm, { name: `华南仓 ${suffix}` })).id
  const formKey = `batch_${suffix}`
  const fields = batchDraft.fields.map((f) => (f.key === 'warehouse' ? { key: 'warehouse', type: 'relation', label: { zh: '仓库', en: 'Warehouse' }, relation: { form: warehouseKey, display: 'name' } } : f))
  const formId = await publishedForm(session, formKey, { zh: '批次', en: 'Batch' }, { fields })
  const today = await tenantToday(session)
  for (const [name, warehouse, madeDaysAgo, shelfDays] of BATCHES) {
    await createRecord(session, formId, { batch_no: `${name}-${suffix}`, warehouse: warehouse === 'east' ? east : south, qty: 10, produced: daysAgo(today, madeDaysAgo), shelf_days: shelfDays })
  }
  await shelfRule(session, formKey, suffix)
  const chart = await post<{ id: number; app_id: number }>(session, '/charts', { label: { zh: `批次数 ${suffix}` }, form_id: formId, definition: { type: 'kpi', measures: [{ key: 'batches', agg: 'count' }] } })
  const dashboard = await post<{ id: number }>(session, '/dashboards', {
    label: { zh: `仓库看板 ${suffix}` },
    app_id: chart.app_id,
    layout: [{ chart_id: chart.id, x: 0, y: 0, w: 6, h: 4 }],
  })

  await page.goto(`/dashboards/${dashboard.id}`)
  const value = page.getByTestId(`grid-item-${chart.id}`).getByTestId('kpi-batches-value')
  await expect(value).toHaveText('5')
  if (isPhone(test.info())) await page.getByTestId('dashboard-filters-toggle').click()
  const asked = page.waitForRequest((r: Request) => r.method() === 'POST' && r.url().endsWith(`/charts/${chart.id}/data`) && Boolean(r.postDataJSON()?.filters?.equals))
  await choose(page, page.getByTestId('dashboard-filter-warehouse'), `dashboard-filter-warehouse-option-${east}`)
  expect((await asked).postDataJSON().filters.equals).toEqual({ warehouse: east })
  await expect(value).toHaveText('3')
  await expect(page.getByTestId('dashboard-filter-warehouse')).toContainText(`华东仓 ${suffix}`)
})
