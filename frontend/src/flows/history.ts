/** How the history of an instance reads: a colour per action and the extra words some events carry. */
import type { FlowEvent, FlowInstanceDetail } from '@/api/flows'

type Translate = (key: string, values?: Record<string, unknown>) => string

const COLORS: Record<string, string> = {
  start: '#409eff',
  approve: '#52c41a',
  auto_approve: '#52c41a',
  reject: '#f5222d',
  return: '#fa8c16',
  withdraw: '#909399',
  transfer: '#722ed1',
  incident: '#f5222d',
}

export function eventColor(action: string): string {
  return COLORS[action] ?? '#8c8c8c'
}

/** "to Li Lei", "back to Manager", "to A, B" from the event's details. */
export function eventDetail(event: FlowEvent, t: Translate): string {
  const d = event.details ?? {}
  const behalf = event.on_behalf_of?.name ? t('flowInstance.onBehalfOf', { name: event.on_behalf_of.name }) : ''
  const rest = detailText(event, d, t)
  return [behalf, rest].filter(Boolean).join(' ')
}

function detailText(event: FlowEvent, d: Record<string, unknown>, t: Translate): string {
  if (typeof d.to_name === 'string' && d.to_name) {
    return event.action === 'return' ? t('flowInstance.returnedTo', { name: d.to_name }) : t('flowInstance.transferredTo', { name: d.to_name })
  }
  if (Array.isArray(d.users) && d.users.length) {
    const names = (d.users as Array<{ name?: string; id?: number }>).map((u) => u.name || `#${u.id}`).join('、')
    return t('flowInstance.copiedTo', { names })
  }
  return ''
}

/** The nodes an instance has passed (history and decided tasks) and the ones waiting now. */
export function instanceProgress(instance: FlowInstanceDetail): { visited: string[]; waiting: string[]; finished: boolean } {
  const visited = new Set<string>(instance.path ?? [])
  for (const e of instance.events) if (e.node_id && e.action !== 'return') visited.add(e.node_id)
  for (const task of instance.tasks) if (task.status !== 'open' && task.kind === 'approval') visited.add(task.node_id)
  const waiting = instance.status === 'running' ? [...new Set(instance.tasks.filter((x) => x.status === 'open' && x.kind === 'approval').map((x) => x.node_id))] : []
  return { visited: [...visited], waiting, finished: instance.status === 'approved' }
}
