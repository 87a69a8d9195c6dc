/**
 * What an approver sees on a task: the bound form's fields under the step's permissions
 * (hidden ones left out, unnamed ones read-only) and the decisions the step offers.
 */
import type { FieldMeta } from '@/api/formTypes'
import type { FlowTask, FlowTaskDetail } from '@/api/flows'
import { TASK_BUTTONS } from './nodeOptions'

export type Permission = 'editable' | 'readonly' | 'hidden'

/** The step's permission per field key, from the task (the server's names vary by version). */
export function taskPermissions(task: FlowTask | null): Record<string, string> {
  if (!task) return {}
  return (task.fields ?? task.field_permissions ?? {}) as Record<string, string>
}

export function permissionOf(permissions: Record<string, string>, key: string): Permission {
  const p = permissions[key]
  return p === 'editable' || p === 'hidden' ? p : 'readonly'
}

/** The fields to draw, in form order, without the hidden ones. */
export function visibleFields(fields: FieldMeta[], permissions: Record<string, string>): FieldMeta[] {
  return fields.filter((f) => !f.removed && permissionOf(permissions, f.key) !== 'hidden')
}

/** The values of the editable fields, to send with a decision. */
export function editedValues(fields: FieldMeta[], permissions: Record<string, string>, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) if (permissionOf(permissions, f.key) === 'editable' && f.key in values) out[f.key] = values[f.key]
  return out
}

/** The names of the users, departments and records the task's record points at, by field key and id. */
export function taskTitles(task: FlowTaskDetail | null): Record<string, Record<string, string>> {
  return task?.titles ?? {}
}

/** True while the caller can still decide this task. */
export function isOpen(task: FlowTask | null): boolean {
  return !!task && task.kind === 'approval' && task.status === 'open' && (task.instance_status ?? 'running') === 'running'
}

/** Approve first, then the step's other enabled actions (all of them when it names none). */
export function enabledActions(task: FlowTask | null): string[] {
  if (!isOpen(task)) return []
  const offered = task!.actions ?? task!.buttons ?? [...TASK_BUTTONS]
  return ['approve', ...TASK_BUTTONS.filter((a) => offered.includes(a))]
}

/** Actions that pick a person: transfer, add a signer, delegate, copy someone in. */
export const PERSON_ACTIONS = ['transfer', 'add_signer', 'delegate', 'cc']

export function needsComment(task: FlowTask | null, action: string): boolean {
  return !!task?.comment_required?.includes(action)
}
