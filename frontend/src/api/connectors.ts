/** Connectors (types, settings, test connection, sending, deletion and its undo), the delivery log with replay. */
import { http } from './http'
import type { ItemList } from './types'
import type { Label } from './formTypes'
import type { JsonSchema } from '@/connectors/schemaForm'

export interface ConnectorType {
  name: string
  label: { zh?: string; en?: string }
  config_schema: JsonSchema
  secret_fields: string[]
  /** Action name -> JSON Schema of its inputs. */
  actions: Record<string, JsonSchema>
}

export interface Connector {
  id: number
  key: string
  type: string
  label: Label
  config: Record<string, unknown>
  enabled: boolean
  updated_at: string
  /** True only in the list asked for with deleted ones too; such a connector's key is the one it had. */
  deleted: boolean
}

/** A deleted connector, inbound webhook or ERP sync brought back: under the key it had, switched off. */
export interface Restored {
  id: number
  key: string
  /** Always false: it is switched on again by hand, so nothing fires unexpectedly. */
  enabled: boolean
  /** Deleted before whole keys were kept, a long key comes back cut to 40 characters. */
  key_shortened: boolean
}

export interface ConnectorInput {
  key?: string
  type?: string
  label?: { zh?: string; en?: string }
  config?: Record<string, unknown>
  enabled?: boolean
}

/** What "test connection" says: ok with the peer's answer, or the reason it failed. */
export interface TestResult {
  ok: boolean
  result?: unknown
  message?: string
  status_code?: number | null
  /** The try's entry in the delivery log (a connection test). The server always gives it; it is
   * null only in the result the console makes up when the server refused the request itself. */
  delivery_id: number | null
}

export const DELIVERY_STATUSES = ['pending', 'sending', 'retrying', 'succeeded', 'dead'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

export interface Delivery {
  id: number
  connector_id: number
  /** The connector's key and label, also once it is deleted (and so missing from the connector list). */
  connector_key: string
  connector_label: Label
  connector_deleted: boolean
  action: string
  /** Made by "test connection". */
  test: boolean
  inputs: Record<string, unknown>
  idempotency_key: string
  status: DeliveryStatus
  attempts: number
  max_attempts: number
  last_error: string | null
  response_status: number | null
  response_excerpt: string | null
  latency_ms: number | null
  next_attempt_at: string | null
  created_at: string
  finished_at: string | null
}

export interface DeliveryPage {
  items: Delivery[]
  page: number
  page_size: number
  /** Deliveries matching the filters, on every page. */
  total: number
}

/** Query of the delivery log; empty values are left out of the URL. */
export interface DeliveryQuery {
  page: number
  page_size: number
  connector_id?: number | null
  status?: DeliveryStatus | null
  created_from?: string | null
  created_to?: string | null
  q?: string | null
}

export interface SendInput {
  action: string
  inputs: Record<string, unknown>
  idempotency_key: string
}

export const connectorTypesApi = {
  list: () => http.get<ItemList<ConnectorType>>('/connector-types'),
}

export const connectorsApi = {
  /** With `includeDeleted`, deleted connectors too (marked `deleted`), e.g. to filter the log by them. */
  list: (options: { includeDeleted?: boolean } = {}) => http.get<ItemList<Connector>>('/connectors', options.includeDeleted ? { include_deleted: true } : undefined),
  get: (id: number) => http.get<Connector>(`/connectors/${id}`),
  create: (input: ConnectorInput) => http.post<Connector>('/connectors', input),
  update: (id: number, input: ConnectorInput) => http.patch<Connector>(`/connectors/${id}`, input),
  test: (id: number) => http.post<TestResult>(`/connectors/${id}/test`),
  /** Queues one call; the same idempotency key gives back the first delivery. */
  send: (id: number, input: SendInput) => http.post<Delivery>(`/connectors/${id}/deliveries`, input),
  /** Refused (409) while a rule, a flow or a sync uses it; its deliveries stay in the log. */
  remove: (id: number) => http.delete(`/connectors/${id}`),
  /** Undoes `remove`; refused (409 `key_taken`) once another connector has its key. */
  restore: (id: number) => http.post<Restored>(`/connectors/${id}/restore`),
}

export const deliveriesApi = {
  list: (query: DeliveryQuery) => http.get<DeliveryPage>('/deliveries', { ...query }),
  replay: (id: number) => http.post<Delivery>(`/deliveries/${id}/replay`),
}

/** Where a form field's value comes from: a JSONPath ($...), a top-level key, or a template. */
export type FieldSource = string | { template: string }

export const HOOK_ACTIONS = ['upsert_record', 'start_flow'] as const
export type HookAction = (typeof HOOK_ACTIONS)[number]

/** An app's inbound webhook; `secret` is present only in the answer that made or rotated it. */
export interface InboundHook {
  id: number
  app_id: number
  key: string
  label: Label
  action: HookAction
  form_id: number
  flow_id: number | null
  mapping: Record<string, FieldSource>
  key_fields: string[]
  enabled: boolean
  url: string
  curl: string
  secret?: string
}

export interface InboundHookInput {
  key?: string
  label?: { zh?: string; en?: string }
  action?: HookAction
  form_id?: number
  flow_id?: number | null
  mapping?: Record<string, FieldSource>
  key_fields?: string[]
  enabled?: boolean
}

export const inboundApi = {
  list: (appId: number) => http.get<ItemList<InboundHook>>(`/apps/${appId}/inbound-hooks`),
  create: (appId: number, input: InboundHookInput) => http.post<InboundHook>(`/apps/${appId}/inbound-hooks`, input),
  update: (id: number, input: InboundHookInput) => http.patch<InboundHook>(`/inbound-hooks/${id}`, input),
  /** The old secret stops working at once; the answer carries the new one, shown this once. */
  rotate: (id: number) => http.post<InboundHook>(`/inbound-hooks/${id}/rotate-secret`),
  /** Its URL stops answering at once; its receipts stay. */
  remove: (id: number) => http.delete(`/inbound-hooks/${id}`),
  /** Undoes `remove`: same URL and secret, answering once switched on again. */
  restore: (id: number) => http.post<Restored>(`/inbound-hooks/${id}/restore`),
}

/** A flow of a form, as the inbound hook's "start a flow" choice needs it. */
export interface FlowChoice {
  id: number
  key: string
  label: Label
}

export const flowChoicesApi = {
  ofForm: (formId: number) => http.get<ItemList<FlowChoice>>('/flows', { form_id: formId }),
}

/** A scheduled pull from an ERP (or any connector query) into a form. */
export interface ConnectorSync {
  id: number
  key: string
  label: Label
  connector_id: number
  action: string
  inputs: Record<string, unknown>
  rows_path: string
  form_id: number
  mapping: Record<string, FieldSource>
  key_fields: string[]
  schedule: string
  enabled: boolean
  last_run_at: string | null
}

export type ConnectorSyncInput = Partial<Omit<ConnectorSync, 'id' | 'last_run_at' | 'label'>> & { label?: { zh?: string; en?: string } }

export const SYNC_RUN_STATUSES = ['running', 'succeeded', 'partial', 'failed'] as const
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number]

export interface SyncRun {
  id: number
  sync_id: number
  status: SyncRunStatus
  trigger: string
  fetched: number
  created: number
  updated: number
  unchanged: number
  failed: number
  errors: Array<Record<string, unknown>>
  message: string | null
  started_at: string
  finished_at: string | null
}

export const syncsApi = {
  list: () => http.get<ItemList<ConnectorSync>>('/connector-syncs'),
  create: (input: ConnectorSyncInput) => http.post<ConnectorSync>('/connector-syncs', input),
  update: (id: number, input: ConnectorSyncInput) => http.patch<ConnectorSync>(`/connector-syncs/${id}`, input),
  runs: (id: number, page = 1, pageSize = 20) => http.get<{ items: SyncRun[]; page: number; page_size: number }>(`/connector-syncs/${id}/runs`, { page, page_size: pageSize }),
  /** Queues a run now; it shows in the runs when the worker starts it. */
  runNow: (id: number) => http.post<{ queued: boolean }>(`/connector-syncs/${id}/runs`),
  /** It stops running; its runs stay. */
  remove: (id: number) => http.delete(`/connector-syncs/${id}`),
  /** Undoes `remove`; refused (409 `connector_deleted`) while its connector is deleted. */
  restore: (id: number) => http.post<Restored>(`/connector-syncs/${id}/restore`),
}
