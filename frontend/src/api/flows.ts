/** Approval flows: definitions and versions, instances with their history, and my flow tasks. */
import { http } from './http'
import type { ItemList, Page } from './types'
import type { FlowNode } from '@/flows/tree'

export interface Flow {
  id: number
  key: string
  name: string
  form_id: number
  latest_version: number | null
  created_at: string
  updated_at: string
}

export interface FlowVersion {
  id: number
  definition_id: number
  version: number
  process_id: string
  form_version: number
  deployed_by: number | null
  created_at: string
  /** What the server keeps of each BPMN node (name, assignee, mode, action, ...). */
  nodes: Record<string, Record<string, unknown>>
  /** True when the version came from the simple designer. */
  simple: boolean
}

export interface FlowVersionDetail extends FlowVersion {
  bpmn: string
  tree: FlowNode | null
}

export type InstanceStatus = 'running' | 'approved' | 'rejected' | string

export interface FlowInstance {
  id: number
  definition_id: number
  form_id: number
  record_id: number
  title: string
  status: InstanceStatus
  initiator_id: number
  initiator_name: string
  row_version: number
  created_at: string
  ended_at: string | null
}

export interface FlowTask {
  id: number
  instance_id: number
  kind: 'approval' | 'cc' | string
  node_id: string
  node_name: string
  mode: string
  assignee_id: number
  assignee_name?: string
  candidates: number[]
  status: string
  comment: string
  acted_at: string | null
  created_at: string
  title?: string
  instance_status?: InstanceStatus
  instance_row_version?: number
  initiator_id?: number
  initiator_name?: string
  form_id?: number
  record_id?: number
  /** Actions this task offers besides approve, when the server says so (otherwise all). */
  actions?: string[]
  buttons?: string[]
  /** Actions that need a comment. */
  comment_required?: string[]
  /** Field key -> editable / readonly / hidden, when the task's node sets them. */
  fields?: Record<string, string>
  field_permissions?: Record<string, string>
}

export interface FlowTaskDetail extends FlowTask {
  record: Record<string, unknown>
  /** Field key -> id -> the name of the user, department or record the field holds. */
  titles?: Record<string, Record<string, string>>
}

export interface FlowEvent {
  id: number
  task_id: number | null
  node_id: string | null
  node_name: string | null
  action: string
  actor_id: number | null
  actor_name: string
  comment: string
  details: Record<string, unknown>
  at: string
  /** Who the actor stood in for (a delegation), when anyone. */
  on_behalf_of?: { id: number; name: string } | null
  /** Files the decision carried. */
  attachments?: Array<{ id: number; name: string; size: number; content_type: string }>
}

export interface FlowInstanceDetail extends FlowInstance {
  version: number
  tasks: FlowTask[]
  events: FlowEvent[]
  /** The BPMN ids the instance has passed (gateways included), when the server sends them. */
  path?: string[]
}

export type TaskBox = 'todo' | 'done' | 'cc'

export interface Decision {
  comment?: string
  row_version?: number
  attachments?: number[]
  /** approve: edits to the editable fields, checked against the record's row version. */
  values?: Record<string, unknown>
  record_row_version?: number
  /** return: an earlier step (default: the previous one). */
  to_node?: string
  /** transfer, delegate, add_signer: the person. */
  user_id?: number
  /** add_signer: before (they approve first) or after me. */
  position?: 'before' | 'after'
  /** cc: the people copied in. */
  user_ids?: number[]
}

export const flowsApi = {
  list: (formId?: number) => http.get<ItemList<Flow>>('/flows', { form_id: formId }),
  get: (id: number) => http.get<Flow>(`/flows/${id}`),
  create: (input: { key?: string; name: string; form_id: number }) => http.post<Flow>('/flows', input),
  rename: (id: number, name: string) => http.patch<Flow>(`/flows/${id}`, { name }),
  versions: (id: number) => http.get<ItemList<FlowVersion>>(`/flows/${id}/versions`),
  version: (id: number, version: number) => http.get<FlowVersionDetail>(`/flows/${id}/versions/${version}`),
  deployTree: (id: number, tree: FlowNode) => http.post<FlowVersionDetail>(`/flows/${id}/versions`, { tree }),
  deployBpmn: (id: number, bpmn: string) => http.post<FlowVersionDetail>(`/flows/${id}/versions`, { bpmn }),
  compile: (id: number, tree: FlowNode) => http.post<{ bpmn: string }>(`/flows/${id}/compile`, { tree }),
  start: (id: number, recordId: number) => http.post<FlowInstance>(`/flows/${id}/instances`, { record_id: recordId }),
}

export interface VersionChange {
  id: string
  name: string
  type: string | null
  changes: Record<string, [unknown, unknown]>
}

export interface VersionDiff {
  from: { version: number; created_at: string }
  to: { version: number; created_at: string }
  nodes: { added: VersionChange[]; removed: VersionChange[]; changed: VersionChange[] }
  flows: { added: VersionChange[]; removed: VersionChange[]; changed: VersionChange[] }
}

/** A running instance as a migration preview (or its result) sees it. */
export interface InstanceMove {
  id: number
  title: string
  row_version: number
  /** Where the instance waits now. */
  waiting: Array<{ node_id: string; name: string; type: string }>
  can_move: boolean
  /** Only in a migration's answer: whether this instance moved. */
  moved?: boolean
  /** Old node id -> node id in the target version. */
  moves: Record<string, string>
  /** Why it cannot (or did not) move. */
  reasons: string[]
}

export interface Migration {
  from: { version: number; created_at: string }
  to: { version: number; created_at: string }
  instances: InstanceMove[]
}

export interface MigrationRequest {
  from_version: number
  to_version: number
  /** Old node id -> node id in the target version, for renamed nodes. */
  mapping?: Record<string, string>
}

export const flowVersionsApi = {
  diff: (id: number, from: number, to: number) =>
    http.get<VersionDiff>(`/flows/${id}/versions/diff`, { from_version: from, to_version: to }),
  /** Deploys an earlier version again as the next one (running instances stay where they are). */
  rollback: (id: number, version: number) => http.post<FlowVersionDetail>(`/flows/${id}/versions/${version}/rollback`),
  /** Which running instances of one version can move to another, and why not (only reads). */
  previewMigration: (id: number, request: MigrationRequest) => http.post<Migration>(`/flows/${id}/migrations/preview`, request),
  /** Moves the instances seen in the preview; one that changed since then stays where it is. */
  migrate: (id: number, request: MigrationRequest, instances: Array<{ id: number; row_version: number }>) =>
    http.post<Migration>(`/flows/${id}/migrations`, { ...request, instances }),
}

export const instancesApi = {
  /** Instances I started. */
  mine: (query: { status?: string; page: number; page_size: number }) =>
    http.get<Page<FlowInstance>>('/flow-instances', { ...query }),
  get: (id: number) => http.get<FlowInstanceDetail>(`/flow-instances/${id}`),
  /** The initiator takes the flow back before anyone decided. */
  withdraw: (id: number, comment = '') => http.post<FlowInstanceDetail>(`/flow-instances/${id}/withdraw`, { comment }),
  /** The initiator reminds the people the flow waits for. */
  urge: (id: number, comment = '') => http.post<{ notified: unknown[] }>(`/flow-instances/${id}/urge`, { comment }),
}

export interface FlowIncident {
  id: number
  instance_id: number
  node_id: string | null
  node_name?: string | null
  action?: string | null
  error: string
  status: string
  attempts?: number
  created_at: string
  resolved_at?: string | null
}

/** An instance in the administrators' listing: with its flow's name and its version. */
export interface AdminFlowInstance extends FlowInstance {
  flow_name: string
  version: number
}

export interface AdminInstanceQuery {
  flow_id?: number
  status?: string
  initiator_id?: number
  /** ISO date-times: started at or after / at or before. */
  created_from?: string
  created_to?: string
  page: number
  page_size: number
}

/** Every instance and every incident (failed service action) of the tenant, and running one again. */
export const flowAdminApi = {
  instances: (query: AdminInstanceQuery) => http.get<Page<AdminFlowInstance>>('/flow-admin/instances', { ...query }),
  incidents: (query: { status?: string; page: number; page_size: number }) =>
    http.get<Page<FlowIncident>>('/flow-incidents', { ...query }),
  retry: (id: number) => http.post<FlowIncident>(`/flow-incidents/${id}/retry`),
}

/** URL segment of each decision (add_signer -> add-signer). */
const ACTION_PATHS: Record<string, string> = { add_signer: 'add-signer' }

export const flowTasksApi = {
  list: (box: TaskBox, page = 1, pageSize = 20) =>
    http.get<Page<FlowTask>>('/flow-tasks', { box, page, page_size: pageSize }),
  get: (id: number) => http.get<FlowTaskDetail>(`/flow-tasks/${id}`),
  act: (id: number, action: string, decision: Decision) =>
    http.post<FlowTaskDetail>(`/flow-tasks/${id}/${ACTION_PATHS[action] ?? action}`, decision),
  /** The earlier steps a task can be returned to, nearest first. */
  returnTargets: (id: number) => http.get<ItemList<{ node_id: string; node_name: string }>>(`/flow-tasks/${id}/return-targets`),
}
