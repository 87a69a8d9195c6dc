/**
 * The rule designer's editable state and its translation to and from a rule definition
 * (app/rules/definition.py). Empty pickers are left out of the definition; anything else
 * the user typed is sent as is, so the server's checks answer with paths the designer maps.
 */
import type { Expression } from '@/api/formTypes'
import type {
  AlertLevel,
  Channel,
  ExpirySpec,
  Levels,
  Metric,
  PersonSpec,
  RuleAction,
  RuleDefinition,
  RuleOverride,
} from '@/api/ruleTypes'
import { ALERT_LEVELS, DEFAULT_LEVELS } from './levels'

export type ExpiryMode = 'field' | 'shelf_life' | 'related'
export type PersonKind = 'user' | 'role' | 'department_head' | 'field'

export interface PersonState {
  kind: PersonKind
  user: number | null
  role: string
  field: string
}

export interface ActionState {
  type: 'todo' | 'notify'
  /** A message goes to people (on channels) or to a group robot. */
  target: 'people' | 'group'
  who: PersonState
  channels: Channel[]
  connector: string
  /** With the sms channel: the SMS connector and, for Aliyun, its template code. */
  smsConnector: string
  smsTemplate: string
  title: string
  template: string
}

export interface LevelsState {
  red: number | null
  yellow: number | null
}

export interface OverrideState extends LevelsState {
  name: string
  when: Expression | null
}

export interface SalesState {
  form: string
  matchField: string
  salesMatchField: string
  qtyField: string
  dateField: string
  windowDays: number | null
}

export interface DesignerState extends LevelsState {
  form: string
  expiryMode: ExpiryMode
  expiryField: string
  productionField: string
  shelfLifeField: string
  relationField: string
  relatedField: string
  metric: Metric
  scope: Expression | null
  overrides: OverrideState[]
  /** kept as it came: the designer shows no editor for it yet, and must not drop it */
  thresholdsFrom: RuleDefinition['thresholds_from'] | null
  quantityField: string
  costField: string
  categoryField: string
  warehouseField: string
  titleField: string
  sales: SalesState
  digest: boolean
  actions: Record<AlertLevel, ActionState[]>
}

export function emptyPerson(kind: PersonKind = 'user'): PersonState {
  return { kind, user: null, role: '', field: '' }
}

export function newAction(type: ActionState['type']): ActionState {
  return { type, target: 'people', who: emptyPerson(), channels: type === 'notify' ? ['in_app'] : [], connector: '', smsConnector: '', smsTemplate: '', title: '', template: '' }
}

export function newOverride(metric: Metric): OverrideState {
  return { name: '', when: null, ...DEFAULT_LEVELS[metric] }
}

export function emptyState(): DesignerState {
  return {
    form: '',
    expiryMode: 'shelf_life',
    expiryField: '',
    productionField: '',
    shelfLifeField: '',
    relationField: '',
    relatedField: '',
    metric: 'remaining_pct',
    scope: null,
    ...DEFAULT_LEVELS.remaining_pct,
    overrides: [],
    thresholdsFrom: null,
    quantityField: '',
    costField: '',
    categoryField: '',
    warehouseField: '',
    titleField: '',
    sales: { form: '', matchField: '', salesMatchField: '', qtyField: '', dateField: '', windowDays: 30 },
    digest: false,
    actions: { yellow: [], red: [], expired: [] },
  }
}

/** Changes the metric; thresholds still at the old metric's defaults move to the new ones. */
export function switchMetric(state: DesignerState, metric: Metric): void {
  const old = DEFAULT_LEVELS[state.metric]
  if (state.red === old.red && state.yellow === old.yellow) Object.assign(state, DEFAULT_LEVELS[metric])
  state.metric = metric
}

// ---- state -> definition ----------------------------------------------------------------

export function personSpec(person: PersonState): PersonSpec | undefined {
  switch (person.kind) {
    case 'user':
      return person.user === null ? undefined : { user: person.user }
    case 'role':
      return person.role ? { role: person.role } : undefined
    case 'department_head':
      return { department_head: true }
    case 'field':
      return person.field ? { field: person.field } : undefined
  }
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== '' && v !== undefined)) as T
}

function levelsOf(state: LevelsState): Levels {
  return { red: state.red, yellow: state.yellow } as Levels
}

export function actionDefinition(action: ActionState): RuleAction {
  const who = personSpec(action.who)
  const out: RuleAction = { type: action.type }
  if (action.type === 'todo') {
    if (who) out.assignee = who
  } else if (action.target === 'group') {
    out.connector = action.connector
  } else {
    if (who) out.recipients = who
    out.channels = [...action.channels]
    if (action.channels.includes('sms')) {
      out.sms_connector = action.smsConnector.trim()
      out.sms_template = action.smsTemplate.trim()
    }
  }
  return compact({ ...out, title: action.title.trim(), template: action.template.trim() })
}

function expiryDefinition(state: DesignerState): ExpirySpec {
  if (state.expiryMode === 'field') {
    // a production date beside the expiry date gives the total shelf life for the % metric
    const production = state.metric === 'remaining_pct' ? state.productionField : ''
    return compact({ field: state.expiryField, production_field: production })
  }
  if (state.expiryMode === 'shelf_life') {
    return compact({ production_field: state.productionField, shelf_life_field: state.shelfLifeField })
  }
  const from = state.relationField || state.relatedField ? { relation: state.relationField, field: state.relatedField } : undefined
  return compact({ production_field: state.productionField, shelf_life_from: from })
}

export function toDefinition(state: DesignerState): RuleDefinition {
  const definition: RuleDefinition = { form: state.form, expiry: expiryDefinition(state), metric: state.metric }
  if (state.scope !== null && state.scope !== undefined) definition.scope = state.scope
  definition.levels = levelsOf(state)
  if (state.overrides.length) {
    definition.overrides = state.overrides.map((o): RuleOverride => compact({ name: o.name.trim(), when: o.when, levels: levelsOf(o) }))
  }
  if (state.thresholdsFrom) definition.thresholds_from = state.thresholdsFrom
  Object.assign(
    definition,
    compact({
      quantity_field: state.quantityField,
      cost_field: state.costField,
      category_field: state.categoryField,
      warehouse_field: state.warehouseField,
      title_field: state.titleField,
    }),
  )
  if (state.metric === 'predicted_unsold') {
    const s = state.sales
    definition.sales = {
      form: s.form,
      match_field: s.matchField,
      sales_match_field: s.salesMatchField,
      qty_field: s.qtyField,
      date_field: s.dateField,
      ...(s.windowDays ? { window_days: s.windowDays } : {}),
    }
  }
  definition.digest = state.digest
  const actions: RuleDefinition['actions'] = {}
  for (const level of ALERT_LEVELS) {
    if (state.actions[level].length) actions[level] = state.actions[level].map(actionDefinition)
  }
  if (Object.keys(actions).length) definition.actions = actions
  return definition
}

// ---- definition -> state ----------------------------------------------------------------

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

export function personState(spec: PersonSpec | undefined): PersonState {
  const s = (spec ?? {}) as Record<string, unknown>
  if ('role' in s) return { ...emptyPerson('role'), role: str(s.role) }
  if ('field' in s) return { ...emptyPerson('field'), field: str(s.field) }
  if (s.department_head) return emptyPerson('department_head')
  return { ...emptyPerson('user'), user: num(s.user) }
}

export function actionState(action: RuleAction): ActionState {
  const type = action.type === 'notify' ? 'notify' : 'todo'
  const group = type === 'notify' && Boolean(action.connector)
  return {
    type,
    target: group ? 'group' : 'people',
    who: personState(type === 'todo' ? action.assignee : action.recipients),
    channels: type === 'notify' && !group ? [...(action.channels ?? ['in_app'])] : [],
    connector: str(action.connector),
    smsConnector: str(action.sms_connector),
    smsTemplate: str(action.sms_template),
    title: str(action.title),
    template: str(action.template),
  }
}

function expiryMode(expiry: ExpirySpec): ExpiryMode {
  if (expiry.shelf_life_from) return 'related'
  if (expiry.field) return 'field'
  return 'shelf_life'
}

export function fromDefinition(definition: Partial<RuleDefinition> | null | undefined): DesignerState {
  const d = definition ?? {}
  const state = emptyState()
  const expiry = d.expiry ?? {}
  const metric = d.metric ?? 'remaining_pct'
  const levels = d.levels ?? DEFAULT_LEVELS[metric]
  Object.assign(state, {
    form: str(d.form),
    expiryMode: expiryMode(expiry),
    expiryField: str(expiry.field),
    productionField: str(expiry.production_field),
    shelfLifeField: str(expiry.shelf_life_field),
    relationField: str(expiry.shelf_life_from?.relation),
    relatedField: str(expiry.shelf_life_from?.field),
    metric,
    scope: d.scope ?? null,
    red: num(levels.red),
    yellow: num(levels.yellow),
    overrides: (d.overrides ?? []).map((o) => ({ name: str(o.name), when: o.when ?? null, red: num(o.levels?.red), yellow: num(o.levels?.yellow) })),
    thresholdsFrom: d.thresholds_from ?? null,
    quantityField: str(d.quantity_field),
    costField: str(d.cost_field),
    categoryField: str(d.category_field),
    warehouseField: str(d.warehouse_field),
    titleField: str(d.title_field),
    digest: Boolean(d.digest),
  })
  if (d.sales) {
    state.sales = {
      form: str(d.sales.form),
      matchField: str(d.sales.match_field),
      salesMatchField: str(d.sales.sales_match_field),
      qtyField: str(d.sales.qty_field),
      dateField: str(d.sales.date_field),
      windowDays: num(d.sales.window_days) ?? 30,
    }
  }
  for (const level of ALERT_LEVELS) state.actions[level] = (d.actions?.[level] ?? []).map(actionState)
  return state
}

// ---- server errors by path ----------------------------------------------------------------

/** The messages for one path of the definition and everything below it ("actions.red.0" covers ".assignee"). */
export function errorsUnder(errors: Record<string, string>, path: string): string {
  return Object.entries(errors)
    .filter(([key]) => key === path || key.startsWith(`${path}.`))
    .map(([, message]) => message)
    .join(' ')
}
