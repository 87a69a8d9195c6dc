/** Shapes of the /api/v1 resources the console and the mobile app read and write. */

export interface Page<T> {
  items: T[]
  total: number
  /** false when ``total`` is the database's estimate of a large filtered set */
  total_exact?: boolean
  page: number
  page_size: number
}

export interface ItemList<T> {
  items: T[]
}

export interface Tenant {
  id: number
  slug: string
  name: string
  timezone: string
}

export interface RoleRef {
  id: number
  name: string
}

export interface Me {
  id: number
  username: string
  display_name: string
  email: string | null
  locale: string | null
  is_admin: boolean
  permissions: string[]
  roles: RoleRef[]
  department_id: number | null
  tenant: Tenant
  csrf_token?: string
}

export interface LoginPayload {
  username: string
  password: string
  tenant?: string
}

export interface User {
  id: number
  username: string
  display_name: string
  email: string | null
  phone: string | null
  department_id: number | null
  role_ids: number[]
  is_active: boolean
  locale: string | null
  created_at: string
  updated_at: string
}

export interface UserInput {
  username?: string
  display_name?: string
  password?: string
  email?: string | null
  phone?: string | null
  department_id?: number | null
  role_ids?: number[]
  is_active?: boolean
}

export interface Department {
  id: number
  name: string
  parent_id: number | null
  head_user_id: number | null
  sort_order: number
  created_at: string
  updated_at: string
}

export interface DepartmentInput {
  name?: string
  parent_id?: number | null
  head_user_id?: number | null
  sort_order?: number
}

export type DataScope = 'all' | 'department' | 'own' | 'custom'

export interface Role {
  id: number
  name: string
  code: string
  description: string | null
  permissions: string[]
  data_scope: DataScope
  data_scope_condition: Record<string, unknown> | null
}

export type RoleInput = Partial<Omit<Role, 'id'>>

export interface Permission {
  code: string
  label_zh: string
  label_en: string
}

export interface ApiToken {
  id: number
  name: string
  prefix: string
  created_at: string
  expires_at: string | null
  last_used_at: string | null
  revoked_at: string | null
}

export interface CreatedApiToken extends ApiToken {
  token: string
}

export interface AuditEntry {
  id: number
  at: string
  actor_id: number | null
  actor_name: string | null
  object_type: string
  object_id: string | number | null
  action: string
  diff: Record<string, [unknown, unknown]> | null
  /** the kind of thing, in the reader's language (a form's label, "角色") */
  object_label: string
  /** which one: a record's title, a role's name */
  object_title: string
  action_label: string
  /** each field changed: its label and the values as the form shows them */
  changes: AuditChange[]
}

export interface AuditChange {
  field: string
  label: string
  before: string
  after: string
}

export interface AuditObjectType {
  value: string
  label: string
}

export interface AuditFilters {
  page: number
  page_size: number
  object_type?: string
  object_id?: string
  action?: string
  actor_id?: number | null
  since?: string
  until?: string
}

export interface Health {
  status: 'ok' | 'degraded'
  database: { ok: boolean }
  broker: { ok: boolean; kind: string }
  worker: { ok: boolean; last_heartbeat_at: string | null; age_seconds: number | null }
}
