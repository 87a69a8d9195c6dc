/** Warning rules (design, preview, publish, run), the alert board, to-dos and the in-app inbox. */
import { http } from './http'
import type { ItemList, Page } from './types'
import type {
  Alert,
  AlertEvent,
  AlertQuery,
  AlertSummary,
  AppNotification,
  ConnectorRef,
  Rule,
  RuleDefinition,
  RuleInput,
  RulePreview,
  RunResult,
  Todo,
  TodoQuery,
} from './ruleTypes'

export const rulesApi = {
  list: () => http.get<ItemList<Rule>>('/rules'),
  get: (id: number) => http.get<Rule>(`/rules/${id}`),
  create: (input: RuleInput & { key?: string; draft: RuleDefinition }) => http.post<Rule>('/rules', input),
  update: (id: number, input: RuleInput) => http.patch<Rule>(`/rules/${id}`, input),
  /** What the given definition (or the saved draft) would flag, without publishing anything. */
  preview: (id: number, draft?: RuleDefinition) => http.post<RulePreview>(`/rules/${id}/preview`, { draft: draft ?? null }),
  publish: (id: number) => http.post<{ version: number }>(`/rules/${id}/publish`),
  run: (id: number) => http.post<RunResult>(`/rules/${id}/run`),
}

export const alertsApi = {
  list: (query: AlertQuery) => http.get<Page<Alert>>('/alerts', { ...query }),
  summary: () => http.get<AlertSummary>('/alerts/summary'),
  events: (id: number) => http.get<ItemList<AlertEvent>>(`/alerts/${id}/events`),
}

export const todosApi = {
  list: (query: TodoQuery) => http.get<Page<Todo>>('/todos', { ...query }),
  claim: (id: number) => http.post<Todo>(`/todos/${id}/claim`),
  complete: (id: number, result: string) => http.post<Todo>(`/todos/${id}/complete`, { result }),
}

export const notificationsApi = {
  list: (unread = false) => http.get<ItemList<AppNotification>>('/notifications', { unread: unread || undefined }),
  read: (id: number) => http.post<AppNotification>(`/notifications/${id}/read`),
}

export const SMS_CONNECTOR_TYPES = ['sms_gateway', 'aliyun_sms']

export const messagingApi = {
  /** Connectors a message action can send through (group robots, SMS); needs the connectors permission. */
  list: async () =>
    (await http.get<ItemList<ConnectorRef>>('/connectors')).items.filter((c) => c.type.endsWith('_robot') || SMS_CONNECTOR_TYPES.includes(c.type)),
}
