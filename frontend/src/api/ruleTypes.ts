/** Shapes of warning rules, alerts, to-dos and in-app notifications (see app/api/rules.py, todos.py). */
import type { Expression, Label } from './formTypes'

export type Metric = 'remaining_pct' | 'remaining_days' | 'predicted_unsold'
/** Levels an alert can have; green rows never raise one. */
export type AlertLevel = 'yellow' | 'red' | 'expired'
/** Every level the classification gives, plus "unknown" for rows without dates in the preview. */
export type Level = AlertLevel | 'green' | 'unknown'
export type Channel = 'in_app' | 'email' | 'sms'

export interface Levels {
  red: number
  yellow: number
}

/** Who a to-do goes to or a message is sent to. */
export type PersonSpec = { user: number } | { role: string } | { department_head: true } | { field: string }

export interface RuleAction {
  type: 'todo' | 'notify'
  assignee?: PersonSpec
  recipients?: PersonSpec
  channels?: Channel[]
  /** Key of a DingTalk or WeCom group robot connector: the message goes to that group instead. */
  connector?: string
  /** With the sms channel: the SMS connector (HTTP gateway or Aliyun) that sends the texts. */
  sms_connector?: string
  /** The Aliyun SMS template code (its variables: title, count). */
  sms_template?: string
  title?: string
  template?: string
}

export interface ExpirySpec {
  field?: string
  production_field?: string
  shelf_life_field?: string
  shelf_life_from?: { relation: string; field: string }
}

export interface SalesSpec {
  form: string
  match_field: string
  sales_match_field: string
  qty_field: string
  date_field: string
  window_days?: number
}

export interface RuleOverride {
  name?: string
  when: Expression
  levels: Levels
}

/** A rule's definition: the draft, or a published version. */
export interface RuleDefinition {
  form: string
  expiry: ExpirySpec
  metric?: Metric
  scope?: Expression
  levels?: Levels
  overrides?: RuleOverride[]
  /** thresholds read from a related record (a batch's category): relation path, two fields */
  thresholds_from?: { path: string[]; red: string; yellow: string }
  quantity_field?: string
  cost_field?: string
  category_field?: string
  warehouse_field?: string
  title_field?: string
  sales?: SalesSpec
  digest?: boolean
  actions?: Partial<Record<AlertLevel, RuleAction[]>>
}

export interface Rule {
  id: number
  app_id: number | null
  key: string
  label: Label
  draft: RuleDefinition
  published_version: number | null
  schedule: string
  enabled: boolean
  last_scan_at: string | null
}

export interface RuleInput {
  key?: string
  label?: { zh?: string; en?: string }
  draft?: RuleDefinition
  schedule?: string
  enabled?: boolean
  app_id?: number | null
}

/** Count, quantity and value of a group of rows; decimals come as strings. */
export interface Totals {
  count: number
  quantity: string
  value: string
}

export interface PreviewSample {
  record_id: number
  title: string
  level: Level
  days_left: number | null
  metric: string | null
}

export interface RulePreview {
  levels: Record<Level, Totals>
  /** Keys are "<category>|<level>" ("-" when the row has none). */
  by_category: Record<string, Totals>
  /** Keys are "<warehouse>|<level>". */
  by_warehouse: Record<string, Totals>
  sample: PreviewSample[]
  /** Moves against the published version ("yellow->red": 3, "none->red": 1); null before a first publish. */
  changes: Record<string, number> | null
}

export interface RunResult {
  opened: number
  escalated: number
  changed: number
  closed: number
  fired: number
  classified: number
  emails: number
}

export interface Alert {
  id: number
  rule_id: number
  form_id: number
  record_id: number
  level: AlertLevel
  metric: string | null
  days_left: number | null
  quantity: string | null
  value: string | null
  category: string | null
  warehouse: string | null
  title: string
  first_seen_at: string
  level_since: string
  escalations: number
  handled_at: string | null
  closed_at: string | null
  close_reason: string | null
}

export interface AlertQuery {
  page: number
  page_size: number
  rule_id?: number | null
  level?: AlertLevel | ''
  warehouse?: string
  category?: string
  closed?: boolean
}

export interface AlertEvent {
  id: number
  alert_id: number
  from_level: AlertLevel | null
  to_level: AlertLevel | null
  at: string
}

export interface AlertSummary {
  levels: Record<AlertLevel, Totals>
}

export type TodoStatus = 'open' | 'claimed' | 'done'

export interface Todo {
  id: number
  alert_id: number | null
  rule_id: number | null
  form_id: number | null
  record_id: number | null
  title: string
  body: string
  level: AlertLevel | null
  days_left: number | null
  quantity: string | null
  category: string | null
  warehouse: string | null
  assignee_id: number | null
  status: TodoStatus
  result: string | null
  created_at: string
  done_at: string | null
}

export interface TodoQuery {
  page: number
  page_size: number
  level?: AlertLevel | ''
  warehouse?: string
  category?: string
  status?: TodoStatus | ''
  max_days_left?: number | null
}

/** A connector as the rule designer needs it (group robots for messages). */
export interface ConnectorRef {
  id: number
  key: string
  type: string
  label: Label
  enabled: boolean
}

export interface AppNotification {
  id: number
  title: string
  body: string
  link: string | null
  channel: string
  created_at: string
  read_at: string | null
}
