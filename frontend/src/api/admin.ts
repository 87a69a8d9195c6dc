/** Tenant administration: users, departments, roles, permissions, API tokens, audit, health. */
import { http } from './http'
import type {
  ApiToken,
  AuditEntry,
  AuditFilters,
  AuditObjectType,
  CreatedApiToken,
  Department,
  DepartmentInput,
  Health,
  ItemList,
  Page,
  Permission,
  Role,
  RoleInput,
  User,
  UserInput,
} from './types'

export const usersApi = {
  list: (query: { page: number; page_size: number; q?: string }) => http.get<Page<User>>('/users', query),
  create: (input: UserInput) => http.post<User>('/users', input),
  update: (id: number, input: UserInput) => http.patch<User>(`/users/${id}`, input),
  deactivate: (id: number) => http.delete(`/users/${id}`),
}

export const departmentsApi = {
  list: () => http.get<ItemList<Department>>('/departments'),
  create: (input: DepartmentInput) => http.post<Department>('/departments', input),
  update: (id: number, input: DepartmentInput) => http.patch<Department>(`/departments/${id}`, input),
  remove: (id: number) => http.delete(`/departments/${id}`),
}

export const rolesApi = {
  list: () => http.get<ItemList<Role>>('/roles'),
  create: (input: RoleInput) => http.post<Role>('/roles', input),
  update: (id: number, input: RoleInput) => http.patch<Role>(`/roles/${id}`, input),
  remove: (id: number) => http.delete(`/roles/${id}`),
  permissions: () => http.get<ItemList<Permission>>('/permissions'),
}

export const tokensApi = {
  list: () => http.get<ItemList<ApiToken>>('/tokens'),
  create: (input: { name: string; expires_in_days: number }) => http.post<CreatedApiToken>('/tokens', input),
  revoke: (id: number) => http.delete(`/tokens/${id}`),
}

export const auditApi = {
  list: (filters: AuditFilters) => http.get<Page<AuditEntry>>('/audit', { ...filters }),
  objectTypes: () => http.get<ItemList<AuditObjectType>>('/audit/object-types'),
}

export const healthApi = {
  get: () => http.get<Health>('/health', undefined, { acceptStatuses: [503] }),
}
