/** Departments and roles as pick lists and id -> name maps, for the admin pages. */
import { computed, ref } from 'vue'
import { departmentsApi, rolesApi } from '@/api/admin'
import type { Department, Role } from '@/api/types'
import { buildDepartmentTree } from './departmentTree'

export function useDepartmentLookup() {
  const departments = ref<Department[]>([])
  const tree = computed(() => buildDepartmentTree(departments.value))
  const nameOf = (id: number | null | undefined) =>
    id == null ? '' : (departments.value.find((d) => d.id === id)?.name ?? `#${id}`)
  async function load() {
    departments.value = (await departmentsApi.list()).items
  }
  return { departments, tree, nameOf, load }
}

export function useRoleLookup() {
  const roles = ref<Role[]>([])
  const nameOf = (id: number) => roles.value.find((r) => r.id === id)?.name ?? `#${id}`
  async function load() {
    roles.value = (await rolesApi.list()).items
  }
  return { roles, nameOf, load }
}
