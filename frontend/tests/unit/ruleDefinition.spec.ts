import { describe, expect, it } from 'vitest'
import type { RuleDefinition } from '@/api/ruleTypes'
import { emptyState, errorsUnder, fromDefinition, newAction, newOverride, switchMetric, toDefinition } from '@/rules/designerState'

/** The expiry template's traffic-light rule (seeds/expiry_disposal), as the designer must keep it. */
const seeded: RuleDefinition = {
  form: 'batch',
  expiry: { production_field: 'produced', shelf_life_field: 'shelf_days' },
  metric: 'remaining_pct',
  scope: { and: [{ '>': [{ var: 'qty' }, 0] }, { '!=': [{ var: 'status' }, 'disposed'] }] },
  levels: { red: 30, yellow: 60 },
  overrides: [{ name: 'Dairy earlier', when: { '==': [{ var: 'category' }, 'dairy'] }, levels: { red: 40, yellow: 70 } }],
  thresholds_from: { path: ['category'], red: 'red_pct', yellow: 'yellow_pct' },
  quantity_field: 'qty',
  cost_field: 'unit_cost',
  category_field: 'category',
  warehouse_field: 'warehouse',
  title_field: 'batch_no',
  digest: true,
  actions: {
    yellow: [
      { type: 'todo', assignee: { role: 'warehouse' }, title: 'Yellow: {{title}}' },
      { type: 'notify', recipients: { role: 'warehouse' }, channels: ['in_app'] },
    ],
    red: [
      { type: 'notify', recipients: { department_head: true }, channels: ['in_app', 'email'], template: '{{title}} {{days_left}}' },
      { type: 'notify', connector: 'ops_robot', title: '红牌 {{title}}' },
    ],
    expired: [{ type: 'todo', assignee: { field: 'owner' } }],
  },
}

describe('rule designer state', () => {
  it('reads a definition and writes the same definition back', () => {
    expect(toDefinition(fromDefinition(seeded))).toEqual(seeded)
  })

  it('builds a definition from what the user picked, leaving empty pickers out', () => {
    const state = emptyState()
    Object.assign(state, { form: 'batch', productionField: 'produced', shelfLifeField: 'shelf_days', quantityField: 'qty', red: 25, yellow: 55 })
    const todo = newAction('todo')
    todo.who.user = 7
    state.actions.red.push(todo)
    expect(toDefinition(state)).toEqual({
      form: 'batch',
      expiry: { production_field: 'produced', shelf_life_field: 'shelf_days' },
      metric: 'remaining_pct',
      levels: { red: 25, yellow: 55 },
      quantity_field: 'qty',
      digest: false,
      actions: { red: [{ type: 'todo', assignee: { user: 7 } }] },
    })
  })

  it('sends a message to a group robot instead of people when the action says so', () => {
    const state = emptyState()
    const message = newAction('notify')
    message.who.user = 3
    message.target = 'group'
    message.connector = 'ops_robot'
    state.actions.yellow.push(message)
    expect(toDefinition(state).actions?.yellow).toEqual([{ type: 'notify', connector: 'ops_robot' }])
    expect(fromDefinition(toDefinition(state)).actions.yellow[0]).toMatchObject({ target: 'group', connector: 'ops_robot', channels: [] })
  })

  it('texts people through the chosen SMS connector, and drops SMS settings with the channel', () => {
    const state = emptyState()
    const message = newAction('notify')
    message.who.role = 'warehouse'
    message.who.kind = 'role'
    message.channels = ['in_app', 'sms']
    message.smsConnector = 'aliyun'
    message.smsTemplate = ' SMS_1 '
    state.actions.red.push(message)
    const written = toDefinition(state).actions?.red?.[0]
    expect(written).toEqual({ type: 'notify', recipients: { role: 'warehouse' }, channels: ['in_app', 'sms'], sms_connector: 'aliyun', sms_template: 'SMS_1' })
    expect(fromDefinition(toDefinition(state)).actions.red[0]).toMatchObject({ smsConnector: 'aliyun', smsTemplate: 'SMS_1' })
    message.channels = ['in_app']
    expect(toDefinition(state).actions?.red?.[0]).toEqual({ type: 'notify', recipients: { role: 'warehouse' }, channels: ['in_app'] })
  })

  it('writes each way of knowing the expiry date', () => {
    const state = emptyState()
    Object.assign(state, { form: 'batch', expiryMode: 'field', expiryField: 'best_before', productionField: 'produced' })
    expect(toDefinition(state).expiry).toEqual({ field: 'best_before', production_field: 'produced' })
    state.metric = 'remaining_days'
    expect(toDefinition(state).expiry).toEqual({ field: 'best_before' })
    Object.assign(state, { expiryMode: 'related', relationField: 'sku', relatedField: 'shelf_days' })
    expect(toDefinition(state).expiry).toEqual({ production_field: 'produced', shelf_life_from: { relation: 'sku', field: 'shelf_days' } })
    expect(fromDefinition(toDefinition(state))).toMatchObject({ expiryMode: 'related', relationField: 'sku', relatedField: 'shelf_days' })
  })

  it('sends sales only for predicted unsold and round-trips them', () => {
    const state = fromDefinition({ ...seeded, metric: 'predicted_unsold', sales: { form: 'outbound', match_field: 'sku', sales_match_field: 'sku', qty_field: 'qty', date_field: 'date', window_days: 14 } })
    expect(toDefinition(state).sales).toEqual({ form: 'outbound', match_field: 'sku', sales_match_field: 'sku', qty_field: 'qty', date_field: 'date', window_days: 14 })
    state.metric = 'remaining_pct'
    expect(toDefinition(state).sales).toBeUndefined()
  })

  it('moves thresholds still at the defaults when the metric changes, and keeps edited ones', () => {
    const state = emptyState()
    switchMetric(state, 'remaining_days')
    expect([state.red, state.yellow]).toEqual([30, 90])
    state.red = 10
    switchMetric(state, 'predicted_unsold')
    expect([state.red, state.yellow]).toEqual([10, 90])
  })

  it('keeps an override without a condition so the server can point at it', () => {
    const state = fromDefinition(seeded)
    state.overrides.push(newOverride('remaining_pct'))
    expect(toDefinition(state).overrides?.[1]).toEqual({ when: null, levels: { red: 30, yellow: 60 } })
  })

  it('starts from an empty or partial definition without failing', () => {
    expect(fromDefinition(null)).toEqual(emptyState())
    expect(fromDefinition({ form: 'batch' } as RuleDefinition)).toMatchObject({ form: 'batch', red: 30, yellow: 60, expiryMode: 'shelf_life' })
  })

  it('finds the server messages for a path and everything under it', () => {
    const errors = { 'actions.red.0.assignee': 'bad person', 'actions.red.1': 'other', 'actions.red.10': 'tenth', levels: 'x' }
    expect(errorsUnder(errors, 'actions.red.0')).toBe('bad person')
    expect(errorsUnder(errors, 'actions.red.1')).toBe('other')
    expect(errorsUnder(errors, 'actions.red')).toBe('bad person other tenth')
    expect(errorsUnder(errors, 'scope')).toBe('')
  })
})
