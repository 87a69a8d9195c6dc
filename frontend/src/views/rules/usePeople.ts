/** Users, roles, group robots and SMS connectors for the assignee and recipient pickers, loaded once per designer. */
import { ref } from 'vue'
import { rolesApi, usersApi } from '@/api/admin'
import { SMS_CONNECTOR_TYPES, messagingApi } from '@/api/rules'
import type { ConnectorRef } from '@/api/ruleTypes'
import type { Role, User } from '@/api/types'
import { useSessionStore } from '@/stores/session'

export function usePeople() {
  const users = ref<User[]>([])
  const roles = ref<Role[]>([])
  const robots = ref<ConnectorRef[]>([])
  const texters = ref<ConnectorRef[]>([])
  const session = useSessionStore()

  /** Keeps users already picked so their names stay visible after a search. */
  function merge(found: User[]) {
    const byId = new Map(users.value.map((u) => [u.id, u]))
    for (const u of found) byId.set(u.id, u)
    users.value = [...byId.values()]
  }

  async function searchUsers(q: string): Promise<void> {
    try {
      merge((await usersApi.list({ page: 1, page_size: 50, q: q || undefined })).items)
    } catch {
      // Without the right to list users, the picker still offers the signed-in user.
    }
  }

  async function load(): Promise<void> {
    const me = session.me
    if (me) merge([{ id: me.id, username: me.username, display_name: me.display_name } as User])
    await searchUsers('')
    // only those who manage connectors may list them; the others can still type a key
    const mayList = session.can('connectors.manage')
    const [r, c] = await Promise.allSettled([rolesApi.list(), mayList ? messagingApi.list() : Promise.resolve([])])
    roles.value = r.status === 'fulfilled' ? r.value.items : []
    const connectors = c.status === 'fulfilled' ? c.value : []
    robots.value = connectors.filter((x) => x.type.endsWith('_robot'))
    texters.value = connectors.filter((x) => SMS_CONNECTOR_TYPES.includes(x.type))
  }

  function userName(id: number | null): string {
    const user = users.value.find((u) => u.id === id)
    return user ? user.display_name || user.username : id === null ? '' : `#${id}`
  }

  return { users, roles, robots, texters, load, searchUsers, userName }
}

export type People = ReturnType<typeof usePeople>
